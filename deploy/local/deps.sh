#!/usr/bin/env bash
# Installs what the build, the tests and make run need and a fresh machine may lack, with apt-get.
# The Maven wrapper fetches Maven itself; Keycloak comes from the Maven registry (stack.sh).
set -euo pipefail
missing=()
command -v javac >/dev/null 2>&1 || missing+=(openjdk-17-jdk-headless)
command -v curl >/dev/null 2>&1 || missing+=(curl)
command -v unzip >/dev/null 2>&1 || missing+=(unzip)
command -v python3 >/dev/null 2>&1 || missing+=(python3)
command -v runuser >/dev/null 2>&1 || missing+=(util-linux)
# The contract's lint (Spectral) comes from the npm registry.
command -v npm >/dev/null 2>&1 || missing+=(npm)
# The dashboard's browser suite drives Debian's Chromium (Playwright's own browser download cannot work here).
[ -x /usr/bin/chromium ] || missing+=(chromium fonts-dejavu-core)
# The Kubernetes manifests are rendered by kubectl kustomize in the tests; make run-cluster's balancer and
# database group (issue 10).
command -v kubectl >/dev/null 2>&1 || missing+=(kubectl)
command -v haproxy >/dev/null 2>&1 || missing+=(haproxy)
command -v pg_autoctl >/dev/null 2>&1 || missing+=(pg-auto-failover-cli postgresql-15-auto-failover)
if [ ${#missing[@]} -gt 0 ]; then
  echo "Installing ${missing[*]} (apt-get)" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq && apt-get install -y -qq "${missing[@]}" >/dev/null
fi
bash "$(dirname "$0")/postgres.sh" ensure
