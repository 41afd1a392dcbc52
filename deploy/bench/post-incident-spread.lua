-- wrk: POST one new overdose per request to one of several sites (BENCH_SITES, comma-separated ids) at a
-- random time in the last 28 days, each with its own externalRef; token in BENCH_TOKEN, org in BENCH_ORG.
-- Spread like a network's posts, so that concurrent writers meet on a rollup row only as often as real ones.
local token = os.getenv("BENCH_TOKEN")
local org = os.getenv("BENCH_ORG")
local run = os.getenv("BENCH_RUN")
local sites = {}
for id in string.gmatch(os.getenv("BENCH_SITES"), "[^,]+") do sites[#sites + 1] = id end
local counter = 0
local now = os.time()

function setup(thread)
  thread:set("prefix", run .. "-" .. tostring(math.random(1, 1e9)))
end

function init(args)
  math.randomseed(os.time() + math.random(1, 1e6))
end

request = function()
  counter = counter + 1
  local at = os.date("!%Y-%m-%dT%H:%M:%SZ", now - math.random(0, 28 * 86400))
  local body = '{"externalRef":"W-' .. prefix .. '-' .. counter .. '","siteId":"' .. sites[math.random(1, #sites)] ..
    '","occurredAt":"' .. at .. '","location":"INSIDE","kind":"OVERDOSE","substances":["FENTANYL"],' ..
    '"mode":"INJECTION","response":{"naloxoneDoses":1,"emsCalled":false},"outcome":"RESOLVED_ON_SITE"}'
  return wrk.format("POST", "/v1/orgs/" .. org .. "/incidents", {
    ["Authorization"] = "Bearer " .. token,
    ["Content-Type"] = "application/json"
  }, body)
end
