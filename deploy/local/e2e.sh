#!/usr/bin/env bash
# The end-to-end suite against the real stack: starts it with stack.sh when it is not up, and stops
# afterwards only what it started.
set -euo pipefail
cd "$(dirname "$0")/../.."
started=0
if ! curl -fsS -o /dev/null http://127.0.0.1:8080/q/health/ready 2>/dev/null \
   || ! curl -fsS -o /dev/null http://127.0.0.1:8180/realms/network/.well-known/openid-configuration 2>/dev/null; then
  bash deploy/local/stack.sh run >/dev/null
  started=1
fi
status=0
./mvnw -B test -Dgroups=e2e -Dharbour.excludedGroups=none -Dsurefire.failIfNoSpecifiedTests=false || status=$?
if [ "$started" = 1 ]; then bash deploy/local/stack.sh stop; fi
exit $status
