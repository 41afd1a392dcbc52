#!/usr/bin/env bash
# Lints the committed contract, openapi/openapi.yaml, with Spectral's OpenAPI rules (openapi/.spectral.yaml).
# Fails on any error or on more than MAX_WARNINGS warnings; the warnings kept are explained in openapi/README.md.
# Spectral is installed once from the npm registry into .local/spectral, at a pinned version.
set -euo pipefail
cd "$(dirname "$0")/../.."
VERSION=6.16.3
MAX_WARNINGS=5
DIR=.local/spectral
BIN="$DIR/node_modules/.bin/spectral"
if [ ! -x "$BIN" ] || ! grep -q "\"version\": \"$VERSION\"" "$DIR/node_modules/@stoplight/spectral-cli/package.json" 2>/dev/null; then
  echo "Installing @stoplight/spectral-cli@$VERSION (npm)" >&2
  mkdir -p "$DIR"
  npm install --prefix "$DIR" --no-audit --no-fund --loglevel=error "@stoplight/spectral-cli@$VERSION" >/dev/null
fi
out=$(mktemp)
trap 'rm -f "$out"' EXIT
"$BIN" lint openapi/openapi.yaml --ruleset openapi/.spectral.yaml -f json --quiet >"$out" || true
python3 - "$out" "$MAX_WARNINGS" <<'PY'
import json, sys
results = json.load(open(sys.argv[1]))
limit = int(sys.argv[2])
errors = [r for r in results if r["severity"] == 0]
warnings = [r for r in results if r["severity"] == 1]
for r in errors + warnings:
    kind = "error" if r["severity"] == 0 else "warning"
    print(f'{kind:8} {r["code"]:36} {".".join(map(str, r["path"]))}: {r["message"]}')
print(f"Spectral: {len(errors)} errors, {len(warnings)} warnings (at most {limit} allowed, each explained in openapi/README.md)")
sys.exit(1 if errors or len(warnings) > limit else 0)
PY
