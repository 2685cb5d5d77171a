#!/usr/bin/env bash
# Image build step: starts the function once (COMMAND...), waits until it is ready, stops it.
# DJL unpacks or finds libtorch and the model is loaded exactly as at run time, so the
# container later starts without unpacking or downloading anything, and an image whose
# function cannot start offline fails to build.
#   warm-up.sh java -jar /deployments/quarkus-run.jar
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
log="$(mktemp)"
"$@" >"$log" 2>&1 &
app=$!
for _ in $(seq 1 "${WARM_UP_SECONDS:-180}"); do
  if "$here/healthcheck.sh" /q/health/ready 2>/dev/null; then
    grep -E "Serving|started in" "$log" || true
    kill "$app"
    wait "$app" || true
    rm -f "$log"
    exit 0
  fi
  if ! kill -0 "$app" 2>/dev/null; then break; fi
  sleep 1
done
cat "$log"
echo "warm-up: the function did not become ready" >&2
kill "$app" 2>/dev/null || true
exit 1
