#!/usr/bin/env bash
# The multi-instance suite (tag cluster: MultiInstanceTest) against what make run-cluster starts; starts it when
# its balancer is not up, and stops afterwards only what it started.
set -euo pipefail
cd "$(dirname "$0")/../.."
started=0
if ! curl -fsS -o /dev/null http://127.0.0.1:8080/q/health/ready 2>/dev/null \
   || ! curl -fsS -o /dev/null http://127.0.0.1:8081/q/health/ready 2>/dev/null; then
  bash deploy/cluster/cluster.sh run >/dev/null
  started=1
fi
status=0
./mvnw -B test -Dgroups=cluster -Dharbour.excludedGroups=none -Dsurefire.failIfNoSpecifiedTests=false || status=$?
if [ "$started" = 1 ]; then
  bash deploy/cluster/cluster.sh stop
  bash deploy/local/stack.sh stop >/dev/null
fi
exit $status
