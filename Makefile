# Harbour: the commands a newcomer needs. Each sets up what it needs on a fresh machine of this kind.
SHELL := /bin/bash
MVN := ./mvnw -B

.PHONY: run run-cluster chaos stop test lint fuzz e2e openapi bench bench-search bench-trends bench-extract soak deps clean

## run: PostgreSQL, Keycloak and the API on this machine, with demo data (reuses what is there)
run: deps
	@bash deploy/local/stack.sh run

## run-cluster: a pg_auto_failover PostgreSQL group, Keycloak, two API instances and HAProxy on 8080 (issue 10)
run-cluster: deps
	@bash deploy/cluster/cluster.sh run

## chaos: writes through make run-cluster's balancer while its primary database and an API instance are killed, and what was lost (issue 10)
chaos: deps
	@bash deploy/cluster/chaos.sh

## stop: stop what make run or make run-cluster started
stop:
	@bash deploy/cluster/cluster.sh stop
	@bash deploy/local/stack.sh stop

## test: the contract's lint, every suite: HTTP tests against a real PostgreSQL and test OIDC realms (each answer validated against the contract), the end-to-end suite against real Keycloak, then the multi-instance suite against make run-cluster
test: deps
	@bash deploy/local/lint-openapi.sh
	$(MVN) verify
	@bash deploy/local/e2e.sh
	@bash deploy/cluster/cluster-test.sh

## e2e: only the end-to-end suite (starts the stack if needed, stops what it started)
e2e: deps
	@bash deploy/local/e2e.sh

## lint: only the contract's lint (Spectral)
lint: deps
	@bash deploy/local/lint-openapi.sh

## fuzz: the fuzz test at length (FUZZ_CASES per operation, default 200; FUZZ_SEED, default the clock), report in target/fuzz-report.txt
fuzz: deps
	$(MVN) test -Dtest=FuzzTest -Dsurefire.failIfNoSpecifiedTests=false -Dharbour.fuzz.cases=$${FUZZ_CASES:-200} \
		-Dharbour.fuzz.seed=$${FUZZ_SEED:-$$(date +%s)}

## openapi: take the served OpenAPI document as the committed contract
openapi: deps
	$(MVN) test -Dtest=OpenApiContractTest -Dharbour.openapi.update=true -Dsurefire.failIfNoSpecifiedTests=false

## deps: the JDK, the PostgreSQL server, curl, unzip and python3 (apt-get, once)
deps:
	@bash deploy/local/deps.sh

clean:
	$(MVN) -q clean

## bench: import and single-post throughput as ratios against baselines taken in the same run (see README)
bench: deps
	@bash deploy/bench/bench.sh

## bench-search: network note search latency (p50, p99) over 100,000 notes in the make-run database
bench-search: deps
	@bash deploy/bench/notes-search.sh

## bench-trends: the coordinator's trends over 1,000 sites and 10 million incidents against a plain GROUP BY, and what rollups cost a post
bench-trends: deps
	@bash deploy/bench/trends.sh

## bench-extract: a million-row research extract through the API (-Xmx256m) against COPY of the same rows
bench-extract: deps
	@bash deploy/bench/extract.sh

## soak: SOAK_SECONDS (default 600) of mixed traffic from four organizations, alone then while a fifth misbehaves; goals checked (see README)
soak: deps
	@bash deploy/soak/soak.sh
