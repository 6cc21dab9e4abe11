#!/usr/bin/env bash
# Starts Hawtio 3.0.0 (io.hawt:hawtio-embedded + the io.hawt:hawtio-default war) on http://127.0.0.1:${HAWTIO_PORT:-8090}/hawtio,
# for watching the middleware's routes through its Jolokia (/observe/jolokia, HTTP Basic with FAILOVER_JOLOKIA_USER /
# FAILOVER_JOLOKIA_PASSWORD). Runs in the foreground; Ctrl-C stops it. See README "Hawtio: watching the routes".
#
#   scripts/hawtio.sh            # then Connect -> Remote -> Add connection: http, 127.0.0.1, 9876, /observe/jolokia
#
# Hawtio's own login is off (it listens on loopback only); its proxy reaches only localhost and 127.0.0.1
# (hawtio.proxyAllowlist), so reach a remote middleware through a tunnel to 127.0.0.1:9876.
set -euo pipefail
cd "$(dirname "$0")/.."

HAWTIO_VERSION=3.0.0
HAWTIO_PORT=${HAWTIO_PORT:-8090}
HAWTIO_HOST=${HAWTIO_HOST:-127.0.0.1}
work=target/hawtio
mkdir -p "$work"

# The classpath of hawtio-embedded, resolved by Maven from a throw-away pom (offline when ~/.m2 has it).
hawtio_classpath() {
  if [ ! -s "$work/classpath.txt" ]; then
    cat > "$work/pom.xml" <<POM
<project xmlns="http://maven.apache.org/POM/4.0.0"><modelVersion>4.0.0</modelVersion>
  <groupId>local</groupId><artifactId>hawtio-runner</artifactId><version>1</version><packaging>pom</packaging>
  <dependencies><dependency><groupId>io.hawt</groupId><artifactId>hawtio-embedded</artifactId><version>$HAWTIO_VERSION</version></dependency></dependencies>
</project>
POM
    mvn -B -q -o -f "$work/pom.xml" dependency:build-classpath -Dmdep.outputFile="$PWD/$work/classpath.txt" >/dev/null 2>&1 \
      || mvn -B -q -f "$work/pom.xml" dependency:build-classpath -Dmdep.outputFile="$PWD/$work/classpath.txt"
  fi
  cat "$work/classpath.txt"
}

cp=$(hawtio_classpath)
war=$(tr ':' '\n' <<<"$cp" | grep "hawtio-default-$HAWTIO_VERSION.war")
# hawtio-embedded's main() ignores its arguments; scripts/HawtioMain.java calls Main.run(args), which parses them.
exec java -Dhawtio.authenticationEnabled=false -Dhawtio.proxyAllowlist=localhost,127.0.0.1 \
  -cp "$cp" scripts/HawtioMain.java --war "$war" --host "$HAWTIO_HOST" --port "$HAWTIO_PORT" --open-url=false "$@"
