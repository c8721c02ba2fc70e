#!/usr/bin/env bash
# The file-browsing figures of docs/performance.md ("Browsing and downloading files"): builds a 2 GiB ext4 image with
# a 10,000-entry directory and a 1 GiB file, backs it up into a repository in the emulator's S3 (moto_server, started
# by the bench on a free port), opens the point as background-jobs does and times listing the directory, the first
# byte of the 1 GiB file and reading all of it. Needs e2fsprogs and moto_server (./connector test installs them).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh
java="$(find_java25)"
export JAVA_HOME="$(dirname "$(dirname "$(readlink -f "$java")")")"
# One reactor build, so that the sibling modules (filesystems and its test-jar) resolve to their target/ directories.
./mvnw -q -B -pl background-jobs-service -am test-compile dependency:build-classpath -DskipTests \
  -Dmdep.outputFile=target/bench.classpath -Dmdep.includeScope=test
cp="background-jobs-service/target/test-classes:background-jobs-service/target/classes:$(cat background-jobs-service/target/bench.classpath)"
"$java" -Xmx1g -cp "$cp" io.cloudconnector.backgroundjobs.files.FilesBench
