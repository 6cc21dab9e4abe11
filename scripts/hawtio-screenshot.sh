#!/usr/bin/env bash
# Hawtio in a real browser: starts the middleware (unless one already answers on 127.0.0.1:9876) with Jolokia Basic
# credentials, starts Hawtio (scripts/hawtio.sh), opens it in headless Chromium (Debian package chromium),
# connects it to http://127.0.0.1:9876/observe/jolokia with the credentials and saves the Camel routes view as
# target/hawtio/routes.png (its page text as target/hawtio/routes.txt). Exit 0 when the page lists health-tick.
# Not part of mvn verify: it needs chromium and takes about a minute.
#
#   scripts/hawtio-screenshot.sh
#
# With a middleware already running: export FAILOVER_JOLOKIA_USER and FAILOVER_JOLOKIA_PASSWORD as it has them.
set -euo pipefail
cd "$(dirname "$0")/.."

export FAILOVER_JOLOKIA_USER=${FAILOVER_JOLOKIA_USER:-hawtio}
export FAILOVER_JOLOKIA_PASSWORD=${FAILOVER_JOLOKIA_PASSWORD:-hawtio-screenshot-$(date +%s)-pw}
JOLOKIA_URL=${JOLOKIA_URL:-http://127.0.0.1:9876/observe/jolokia}
export HAWTIO_PORT=${HAWTIO_PORT:-8090}
work=target/hawtio
mkdir -p "$work"

command -v chromium >/dev/null || { echo "chromium is missing: apt-get install -y chromium" >&2; exit 2; }

pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; }
trap cleanup EXIT

wait_for() { # URL SECONDS [curl options]
  local url=$1 seconds=$2; shift 2
  for _ in $(seq $((seconds * 2))); do
    curl -fs -o /dev/null "$@" "$url" && return 0
    sleep 0.5
  done
  echo "no answer from $url" >&2; return 1
}

if ! curl -s -o /dev/null "$JOLOKIA_URL/version"; then
  echo "starting the middleware (log: $work/middleware.log)"
  if [ ! -d target/classes ]; then mvn -B -q -o compile; fi
  mvn -B -q -o dependency:build-classpath -Dmdep.includeScope=runtime -Dmdep.outputFile="$PWD/$work/runtime-classpath.txt" >/dev/null
  java -Dfailover.store.data-dir="$work/data" -cp "target/classes:$(cat "$work/runtime-classpath.txt")" \
    dev.ccaasfailover.Application >"$work/middleware.log" 2>&1 &
  pids+=($!)
fi
wait_for "$JOLOKIA_URL/version" 90 -u "$FAILOVER_JOLOKIA_USER:$FAILOVER_JOLOKIA_PASSWORD"

echo "starting Hawtio on http://127.0.0.1:$HAWTIO_PORT/hawtio (log: $work/hawtio.log)"
scripts/hawtio.sh >"$work/hawtio.log" 2>&1 &
pids+=($!)
wait_for "http://127.0.0.1:$HAWTIO_PORT/hawtio/" 90

java scripts/HawtioScreenshot.java "http://127.0.0.1:$HAWTIO_PORT/hawtio" "$JOLOKIA_URL" \
  "$FAILOVER_JOLOKIA_USER" - "$work/routes.png"
