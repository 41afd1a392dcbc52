-- wrk: POST one new incident per request, each with its own externalRef, with the bearer token and site
-- given in the environment (BENCH_TOKEN, BENCH_SITE, BENCH_RUN).
local counter = 0
local token = os.getenv("BENCH_TOKEN")
local site = os.getenv("BENCH_SITE")
local run = os.getenv("BENCH_RUN")

function setup(thread)
  thread:set("prefix", run .. "-" .. tostring(math.random(1, 1e9)))
end

request = function()
  counter = counter + 1
  local body = '{"externalRef":"W-' .. prefix .. '-' .. counter .. '","siteId":"' .. site ..
    '","occurredAt":"2026-10-01T02:00:00Z","location":"INSIDE","kind":"OVERDOSE","substances":["FENTANYL"],' ..
    '"mode":"INJECTION","response":{"naloxoneDoses":1,"emsCalled":false},"outcome":"RESOLVED_ON_SITE"}'
  return wrk.format("POST", "/v1/orgs/riverside/incidents", {
    ["Authorization"] = "Bearer " .. token,
    ["Content-Type"] = "application/json"
  }, body)
end
