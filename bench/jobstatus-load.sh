#!/usr/bin/env bash
# bench/jobstatus-load.sh — load figures for the job-status API (docs/performance.md, "Job status API").
#
# Starts the local stack if it is not up (./connector up), seeds BENCH_JOBS jobs (10000) into its
# jobstatus table in the emulator, starts one more jobstatus instance with production JVM settings on
# BENCH_PORT (8183) against that stack, and drives it on loopback with wrk (Debian's; installed if
# missing): GET /v1/jobs/{id} over random seeded ids (once the service has warmed its cache from the
# table), then GET /v1/jobs.
# Prints requests/s and p50/p99 latency. Figures, not a test: it never fails on a number.
#
# Settings: BENCH_JOBS (10000), BENCH_DURATION (30s), BENCH_CONNECTIONS (32), BENCH_THREADS (2),
# BENCH_PORT (8183), and the ./connector variables (CONNECTOR_ID, CONNECTOR_EMULATOR_PORT, ...).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=../scripts/lib.sh
source "$ROOT/scripts/lib.sh"

JOBS="${BENCH_JOBS:-10000}"
DURATION="${BENCH_DURATION:-30s}"
CONNECTIONS="${BENCH_CONNECTIONS:-32}"
THREADS="${BENCH_THREADS:-2}"
PORT="${BENCH_PORT:-8183}"
CONNECTOR_ID="${CONNECTOR_ID:-cc-dev}"
STATE="${CONNECTOR_STATE_DIR:-$ROOT/.connector}"
ENDPOINT="http://127.0.0.1:${CONNECTOR_EMULATOR_PORT:-4566}"
JAR="$ROOT/jobstatus-service/target/jobstatus-service-0.1.0-SNAPSHOT-exec.jar"
WORK="$(mktemp -d)"
SERVICE_PID=""

cleanup() {
  if [[ -n "$SERVICE_PID" ]] && kill -0 "$SERVICE_PID" 2>/dev/null; then
    kill -TERM "$SERVICE_PID" 2>/dev/null || true
    wait "$SERVICE_PID" 2>/dev/null || true
  fi
  rm -rf "$WORK"
}
trap cleanup EXIT

command -v wrk >/dev/null || { step "Installing wrk"; apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
JAVA="$(find_java25)"

step "Local stack"
status="$("$ROOT/connector" status 2>/dev/null || true)"
grep -q '^jobstatus  *healthy' <<<"$status" || "$ROOT/connector" up >/dev/null
python="python3"
"$python" -c 'import boto3' 2>/dev/null || die "seeding needs python3 with boto3 (moto depends on it)"

step "Seeding $JOBS jobs into $CONNECTOR_ID-jobstatus"
# Items in the layout of JobRepository: mostly finished jobs, as in a table that keeps 30 days of them,
# and some running with progress. Ids are ULIDs created over the last 7 days.
"$python" - "$ENDPOINT" "$CONNECTOR_ID-jobstatus" "$JOBS" "$WORK/ids.txt" <<'PY'
import random, sys, time, datetime
import boto3
endpoint, table_name, count, ids_file = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
def ulid(ms):
    value = (ms << 80) | random.getrandbits(80)
    return "".join(ALPHABET[(value >> (5 * i)) & 31] for i in reversed(range(26)))
def iso(ms):
    return datetime.datetime.fromtimestamp(ms / 1000, datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"
random.seed(42)
table = boto3.resource("dynamodb", endpoint_url=endpoint, region_name="us-east-1",
                       aws_access_key_id="test", aws_secret_access_key="test").Table(table_name)
# Fixed seed and base time: a second run on the same day rewrites the same jobs instead of adding more.
now = int(time.time() // 86400 * 86400 * 1000)
kinds = ["ebs-backup", "ec2-backup", "ebs-restore", "ec2-restore", "scan", "prune", "integrity-check"]
ids = []
with table.batch_writer() as batch:
    for n in range(count):
        created = now - random.randint(0, 7 * 24 * 3600 * 1000)
        job_id = "j-" + ulid(created)
        ids.append(job_id)
        total = random.randint(1, 64) << 30
        started = created + 5000
        item = {"pk": "JOB#" + job_id, "sk": "JOB", "gsi1pk": "JOB", "gsi1sk": job_id, "id": job_id,
                "kind": random.choice(kinds), "vaultId": "vlt-" + ulid(created - 10**9).lower(),
                "assetId": "aws:ebs:123456789012:us-east-1:vol-%017x" % random.getrandbits(68),
                "createdAt": iso(created), "startedAt": iso(started), "bytesTotalAtStart": total,
                "updatedAt": iso(started + 60000),
                "log": [{"time": iso(created), "type": "created"}, {"time": iso(started), "type": "started"}]}
        roll = random.random()
        if roll < 0.05:
            done = random.randint(0, total)
            item.update(state="RUNNING", version=3, progressSequence=7, bytesDone=done, bytesTotal=total,
                        progressAt=iso(started + 60000))
        else:
            finished = started + 600000
            failed = roll < 0.10
            item.update(state="FAILED" if failed else "SUCCEEDED", version=4, progressSequence=9,
                        bytesDone=total, bytesTotal=total, progressAt=iso(finished - 1000),
                        finishedAt=iso(finished), expiresAt=finished // 1000 + 30 * 24 * 3600)
            item["log"].append({"time": iso(finished), "type": "failed" if failed else "succeeded"})
            if failed:
                item.update(errorCode="snapshot-not-found", errorMessage="The snapshot is gone")
            else:
                item["result"] = {"recoveryPointId": "rp-" + ulid(finished)}
        batch.put_item(Item=item)
with open(ids_file, "w") as f:
    f.write("\n".join(ids) + "\n")
PY

step "Starting jobstatus on 127.0.0.1:$PORT (default JIT and GC, -Xmx1g)"
CONNECTOR_ID="$CONNECTOR_ID" CONNECTOR_AWS_ENDPOINT="$ENDPOINT" CONNECTOR_AWS_REGION=us-east-1 \
CONNECTOR_AWS_ACCESS_KEY_ID=test CONNECTOR_AWS_SECRET_ACCESS_KEY=test \
CONNECTOR_SECURITY_PUBLIC_KEY_LOCATION="file:$STATE/dev-key.pub.pem" SERVER_PORT="$PORT" \
  "$JAVA" -Xmx1g -Dspring.output.ansi.enabled=never -jar "$JAR" >"$WORK/jobstatus.log" 2>&1 &
SERVICE_PID=$!
ready() { curl -fsS --max-time 2 "http://127.0.0.1:$PORT/actuator/health/readiness" 2>/dev/null | grep -q '"UP"'; }
wait_for jobstatus 120 ready || die "jobstatus did not become ready; its log: $(tail -n 20 "$WORK/jobstatus.log")"

TOKEN="$("$ROOT/connector" token --scopes jobs:read --ttl 1h)"
cat >"$WORK/by-id.lua" <<LUA
local ids = {}
for line in io.lines("$WORK/ids.txt") do ids[#ids + 1] = line end
math.randomseed(os.time() + math.floor(os.clock() * 1e6))
request = function()
  return wrk.format("GET", "/v1/jobs/" .. ids[math.random(#ids)], {["Authorization"] = "Bearer $TOKEN"})
end
LUA
cat >"$WORK/list.lua" <<LUA
wrk.headers["Authorization"] = "Bearer $TOKEN"
LUA

# run LABEL DURATION SCRIPT PATH: one wrk run; prints a summary line and keeps wrk's report.
run() {
  local label="$1" duration="$2" script="$3" path="$4" report="$WORK/report-${1//[^A-Za-z0-9]/_}.txt"
  # --timeout: a list query on the emulator takes seconds; wrk's 2 s default would drop it from the latencies.
  wrk -t"$THREADS" -c"$CONNECTIONS" -d"$duration" --timeout 60s --latency -s "$script" "http://127.0.0.1:$PORT$path" >"$report"
  awk -v label="$label" '
    /Requests\/sec/ { rps = $2 }
    /^ +50%/ { p50 = $2 } /^ +99%/ { p99 = $2 }
    /Non-2xx/ { errors = $NF }
    END { printf "%-34s %10s req/s   p50 %8s   p99 %8s   non-2xx %s\n", label, rps, p50, p99, (errors == "" ? 0 : errors) }
  ' "$report"
}

step "Waiting for the service to warm its cache from the table (slow on the emulator: its index queries sort every item)"
warmed() { grep -q 'Warmed the job cache' "$WORK/jobstatus.log"; }
wait_for "cache warm-up" 1800 warmed || die "the cache did not warm up; its log: $(tail -n 20 "$WORK/jobstatus.log")"
grep -o 'Warmed the job cache.*' "$WORK/jobstatus.log" | sed 's/^/  /'
step "Warming the JIT (60 s of reads by id, not reported: C2 needs a while on a busy 2-core machine)"
run warm-up 60s "$WORK/by-id.lua" /v1/jobs/ >/dev/null
step "wrk -t$THREADS -c$CONNECTIONS -d$DURATION, $JOBS jobs, $(nproc) cores"
run "GET /v1/jobs/{id}" "$DURATION" "$WORK/by-id.lua" /v1/jobs/
# The list queries the table's index on every call; the emulator answers such a query in seconds (it
# sorts the whole index in Python), so two connections suffice to measure it without queueing it up.
CONNECTIONS=2 THREADS=1
step "wrk -t$THREADS -c$CONNECTIONS -d$DURATION (list: bound by the emulator's index queries)"
run "GET /v1/jobs (50, newest first)" "$DURATION" "$WORK/list.lua" "/v1/jobs"
run "GET /v1/jobs?state=running" "$DURATION" "$WORK/list.lua" "/v1/jobs?state=running"
