#!/usr/bin/env bash
# Asks the function on this host for one health path and succeeds only on HTTP 200, with no
# client installed (bash's /dev/tcp): the images' HEALTHCHECK and the warm-up use it.
#   healthcheck.sh /q/health/ready        port: $QUARKUS_HTTP_PORT, else 8080
set -euo pipefail
path="${1:?usage: healthcheck.sh PATH}"
port="${QUARKUS_HTTP_PORT:-8080}"
exec 3<>"/dev/tcp/127.0.0.1/${port}"
printf 'GET %s HTTP/1.0\r\nHost: localhost\r\n\r\n' "$path" >&3
IFS= read -r -t 5 status <&3
exec 3<&-
[[ "$status" == HTTP/1.[01]\ 200* ]]
