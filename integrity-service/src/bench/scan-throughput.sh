#!/usr/bin/env bash
# The scan-throughput figures of docs/performance.md ("Recovery-point scans"); run as integrity-service/src/bench/scan-throughput.sh: builds a 2 GiB ext4 image,
# backs it up into a local ScaleZ repository and times listing and scanning it. Needs the CI's Debian tools.
set -euo pipefail
cd "$(dirname "$0")/../../.."
./mvnw -q -B -pl integrity-service test-compile
./mvnw -q -B -pl integrity-service dependency:build-classpath -Dmdep.outputFile=target/bench.classpath \
  -Dmdep.includeScope=test
source scripts/lib.sh
java="$(find_java25)"
"$java" -Xmx1g -cp "integrity-service/target/test-classes:integrity-service/target/classes:$(cat integrity-service/target/bench.classpath)" \
  io.cloudconnector.integrity.scan.ScanThroughput
