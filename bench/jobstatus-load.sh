#!/usr/bin/env bash
# bench/jobstatus-load.sh — load figures for the job-status API (docs/performance.md, "Job status API").
#
# Starts the local stack if it is not up (./connector up), seeds BENCH_JOBS jobs (10000) into its
# jobstatus table in the emulator, starts one more jobstatus instance with production JVM settings on
# BENCH_PORT (8183) against that stack, and drives it on loopback with wrk (Debian's; installed if
# missing) as issue 20 asks: wrk -t1 -c16, 10 s of warm-up, then the measured run, for GET /v1/jobs/{id}
# over random seeded ids (once the service has warmed its cache from the table), then for GET
# /v1/jobs?limit=50 (the dashboard's first page) and GET /v1/jobs?state=running&limit=50.
# Prints requests/s, p50 and p99 next to the issue's targets. Figures, not a test: it never fails on a number.
#
# BENCH_STANDALONE=1 needs no local stack and no fixed port: it starts its own moto_server on a free
# loopback port (scripts/emulator on PYTHONPATH, as the tests' MotoServer does), creates the jobstatus
# table (as infra/cloudformation/connector.yaml does), the bus and the inbox, mints its own ES256 key and
# token, and stops what it started when it ends. It needs the built jar:
#   ./mvnw -B -q -pl jobstatus-service -am package -DskipTests
#
# Settings: BENCH_JOBS (10000), BENCH_DURATION (30s), BENCH_WARMUP (10s), BENCH_CONNECTIONS (16),
# BENCH_THREADS (1), BENCH_PORT (8183), BENCH_JAR (the built jar), BENCH_STANDALONE (0), and the
# ./connector variables (CONNECTOR_ID, CONNECTOR_EMULATOR_PORT, ...).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=../scripts/lib.sh
source "$ROOT/scripts/lib.sh"

JOBS="${BENCH_JOBS:-10000}"
DURATION="${BENCH_DURATION:-30s}"
WARMUP="${BENCH_WARMUP:-10s}"
CONNECTIONS="${BENCH_CONNECTIONS:-16}"
THREADS="${BENCH_THREADS:-1}"
PORT="${BENCH_PORT:-8183}"
STANDALONE="${BENCH_STANDALONE:-0}"
CONNECTOR_ID="${CONNECTOR_ID:-cc-dev}"
ACCOUNT="${CONNECTOR_ACCOUNT:-123456789012}"
REGION=us-east-1
STATE="${CONNECTOR_STATE_DIR:-$ROOT/.connector}"
ENDPOINT="http://127.0.0.1:${CONNECTOR_EMULATOR_PORT:-4566}"
JAR="${BENCH_JAR:-$ROOT/jobstatus-service/target/jobstatus-service-0.1.0-SNAPSHOT-exec.jar}"
WORK="$(mktemp -d)"
SERVICE_PID=""
MOTO_PID=""

stop() {
  local pid="$1"
  if [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  fi
}
cleanup() {
  stop "$SERVICE_PID"
  stop "$MOTO_PID"
  rm -rf "$WORK"
}
trap cleanup EXIT

command -v wrk >/dev/null || { step "Installing wrk"; apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
JAVA="$(find_java25)"
[[ -f "$JAR" ]] || die "no $JAR: build it with ./mvnw -B -q -pl jobstatus-service -am package -DskipTests"
python="python3"
"$python" -c 'import boto3' 2>/dev/null || die "seeding needs python3 with boto3 (moto depends on it)"

if [[ "$STANDALONE" == 1 ]]; then
  step "Standalone: moto_server on a free loopback port, the jobstatus table, bus and inbox"
  command -v moto_server >/dev/null || die "BENCH_STANDALONE=1 needs moto_server (pip install 'moto[server]')"
  emulator_port="$("$python" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
  ENDPOINT="http://127.0.0.1:$emulator_port"
  PYTHONPATH="$ROOT/scripts/emulator${PYTHONPATH:+:$PYTHONPATH}" moto_server -H 127.0.0.1 -p "$emulator_port" \
    >"$WORK/moto.log" 2>&1 &
  MOTO_PID=$!
  moto_up() { curl -fsS --max-time 2 "$ENDPOINT/moto-api/data.json" >/dev/null 2>&1; }
  wait_for moto_server 60 moto_up || die "moto_server did not start; its log: $(tail -n 20 "$WORK/moto.log")"
  # The key the service trusts and the token wrk sends: ES256, issued and addressed as ./connector token's.
  "$python" - "$WORK" "$ACCOUNT:$REGION:$CONNECTOR_ID" <<'PY'
import base64, json, sys, time, uuid
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature
work, audience = sys.argv[1], sys.argv[2]
key = ec.generate_private_key(ec.SECP256R1())
with open(f"{work}/dev-key.pub.pem", "wb") as f:
    f.write(key.public_key().public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo))
def b64(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()
now = int(time.time())
claims = {"sub": "bench", "aud": audience, "iss": "cloud-connector-dev", "jti": str(uuid.uuid4()), "iat": now,
          "nbf": now, "exp": now + 3600, "scope": "jobs:read"}
signing_input = b64(json.dumps({"typ": "JWT", "alg": "ES256"}).encode()) + "." + b64(json.dumps(claims).encode())
r, s = decode_dss_signature(key.sign(signing_input.encode(), ec.ECDSA(hashes.SHA256())))
with open(f"{work}/token", "w") as f:
    f.write(signing_input + "." + b64(r.to_bytes(32, "big") + s.to_bytes(32, "big")))
PY
  "$python" - "$ENDPOINT" "$CONNECTOR_ID" <<'PY'
import sys
import boto3
endpoint, connector = sys.argv[1], sys.argv[2]
session = dict(endpoint_url=endpoint, region_name="us-east-1", aws_access_key_id="test", aws_secret_access_key="test")
# As JobstatusTable in infra/cloudformation/connector.yaml (TTL and backups do not matter here).
boto3.client("dynamodb", **session).create_table(
    TableName=f"{connector}-jobstatus", BillingMode="PAY_PER_REQUEST",
    AttributeDefinitions=[{"AttributeName": a, "AttributeType": "S"} for a in ("pk", "sk", "gsi1pk", "gsi1sk")],
    KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "sk", "KeyType": "RANGE"}],
    GlobalSecondaryIndexes=[{"IndexName": "gsi1", "Projection": {"ProjectionType": "ALL"}, "KeySchema": [
        {"AttributeName": "gsi1pk", "KeyType": "HASH"}, {"AttributeName": "gsi1sk", "KeyType": "RANGE"}]}])
boto3.client("events", **session).create_event_bus(Name=f"{connector}-bus")
boto3.client("sqs", **session).create_queue(QueueName=f"{connector}-jobstatus-inbox")
PY
  PUBLIC_KEY="$WORK/dev-key.pub.pem"
else
  step "Local stack"
  status="$("$ROOT/connector" status 2>/dev/null || true)"
  grep -q '^jobstatus  *healthy' <<<"$status" || "$ROOT/connector" up >/dev/null
  PUBLIC_KEY="$STATE/dev-key.pub.pem"
fi

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
CONNECTOR_ID="$CONNECTOR_ID" CONNECTOR_ACCOUNT="$ACCOUNT" CONNECTOR_AWS_ENDPOINT="$ENDPOINT" \
CONNECTOR_AWS_REGION="$REGION" CONNECTOR_AWS_ACCESS_KEY_ID=test CONNECTOR_AWS_SECRET_ACCESS_KEY=test \
CONNECTOR_SECURITY_PUBLIC_KEY_LOCATION="file:$PUBLIC_KEY" CONNECTOR_SECURITY_ISSUER=cloud-connector-dev \
SERVER_PORT="$PORT" \
  "$JAVA" -Xmx1g -Dspring.output.ansi.enabled=never -jar "$JAR" >"$WORK/jobstatus.log" 2>&1 &
SERVICE_PID=$!
ready() { curl -fsS --max-time 2 "http://127.0.0.1:$PORT/actuator/health/readiness" 2>/dev/null | grep -q '"UP"'; }
wait_for jobstatus 120 ready || die "jobstatus did not become ready; its log: $(tail -n 20 "$WORK/jobstatus.log")"

if [[ "$STANDALONE" == 1 ]]; then
  TOKEN="$(cat "$WORK/token")"
else
  TOKEN="$("$ROOT/connector" token --scopes jobs:read --ttl 1h)"
fi
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

# run LABEL TARGET SCRIPT PATH: wrk for BENCH_WARMUP (not reported), then the measured run; prints a summary
# line with the target next to it, and keeps wrk's report.
run() {
  local label="$1" target="$2" script="$3" path="$4" report="$WORK/report-${1//[^A-Za-z0-9]/_}.txt"
  # --timeout: a slow list must count in the latencies, not be dropped at wrk's 2 s default.
  wrk -t"$THREADS" -c"$CONNECTIONS" -d"$WARMUP" --timeout 60s -s "$script" "http://127.0.0.1:$PORT$path" >/dev/null
  wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --timeout 60s --latency -s "$script" \
    "http://127.0.0.1:$PORT$path" >"$report"
  awk -v label="$label" -v target="$target" '
    /Requests\/sec/ { rps = $2 }
    /^ +50%/ { p50 = $2 } /^ +99%/ { p99 = $2 }
    /Non-2xx/ { errors = $NF }
    END { printf "%-36s %10s req/s   p50 %8s   p99 %8s   non-2xx %s   target: %s\n", label, rps, p50, p99,
                 (errors == "" ? 0 : errors), target }
  ' "$report"
  if grep -q 'Non-2xx' "$report"; then
    # What a failing answer says (one sample): wrk only counts them.
    local sample="$path"
    [[ "$path" == /v1/jobs/ ]] && sample="/v1/jobs/$(head -n 1 "$WORK/ids.txt")"
    printf '  a sample answer: %s\n' "$(curl -s --max-time 60 -H "Authorization: Bearer $TOKEN" \
      -w ' (HTTP %{http_code})' "http://127.0.0.1:$PORT$sample" | tail -c 300)"
  fi
}

step "Waiting for the service to warm its cache from the table (slow on the emulator: its index queries sort every item)"
warmed() { grep -q 'Warmed the job cache' "$WORK/jobstatus.log"; }
wait_for "cache warm-up" 1800 warmed || die "the cache did not warm up; its log: $(tail -n 20 "$WORK/jobstatus.log")"
grep -o 'Warmed the job cache.*' "$WORK/jobstatus.log" | sed 's/^/  /'
step "wrk -t$THREADS -c$CONNECTIONS: $WARMUP warm-up, then $DURATION measured; $JOBS jobs, $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
run "GET /v1/jobs/{id}" ">= 2,000 req/s, p99 < 50 ms" "$WORK/by-id.lua" /v1/jobs/
run "GET /v1/jobs?limit=50" "p99 < 100 ms" "$WORK/list.lua" "/v1/jobs?limit=50"
run "GET /v1/jobs?state=running&limit=50" "none" "$WORK/list.lua" "/v1/jobs?state=running&limit=50"
step "Done, load $(cut -d' ' -f1-3 /proc/loadavg)"
