#!/usr/bin/env bash
# Sigil benchmark: builds and starts the packaged service in prod mode against the local PostgreSQL
# and Redis, warms it up, measures JWKS (against nginx serving the same bytes), refresh chains,
# login, client-credentials grants, introspections, token exchanges and passkey sign-ins at saturation on loopback, the cost of replica
# acknowledgement (sigil.redis.wait-replicas) on refresh, account recovery (the mail relay's rate to a local SMTP sink,
# POST /password-reset's CPU for a known and an unknown address, login p99 with mails queued against a stopped SMTP server), and prints one table (also written to target/bench/results.json).
#
#   src/bench/run.sh [--no-build] [--no-pin] [--duration SECONDS] [--warmup SECONDS] [--warmup-max SECONDS] [--only PHASES]
#
# --only runs only the listed phases (comma-separated: startup, jwks, refresh, wait, session, login, oauth, exchange, passkey, recovery; default all),
# e.g. '--only refresh,oauth' to compare the OAuth endpoints and refresh before and after a change; the others read NaN.
#
# Needs: Java 17 (JDK), PostgreSQL on localhost:5432 (database test_bench is created when missing), Redis on localhost:6379
# (database 3 is the benchmark's own: emptied at start and at exit). wrk and nginx are installed
# from Debian packages when missing. Uses ports 8095 (Sigil), 8096 (nginx), in the wait phase 8097 (a
# second Sigil that waits for a replica) and a free port for that replica of the local Redis, and in the recovery
# phase 8098 (the SMTP sink Bench.java runs; Sigil's mailer points at it).
set -euo pipefail

# Ports, Redis database and PostgreSQL database can be moved (BENCH_*) when two benchmarks share a machine.
SIGIL_PORT=${BENCH_SIGIL_PORT:-8095}
NGINX_PORT=${BENCH_NGINX_PORT:-8096}
WAIT_PORT=${BENCH_WAIT_PORT:-8097}
SMTP_PORT=${BENCH_SMTP_PORT:-8098}
REDIS_DB=${BENCH_REDIS_DB:-3}
DATABASE=${BENCH_DATABASE:-test_bench}
READY_SECONDS=${BENCH_READY_SECONDS:-60} # how long a start may take before the run gives up (a busy host needs more)
SESSIONS=50             # concurrent refresh chains
CONNECTIONS=50          # wrk connections for JWKS
LOGIN_CONCURRENCY=8     # well above the hashing pool (one thread per server core), below its cap of 64 in flight
PROBE_RATE=200          # JWKS requests/s sent while login is saturated
OAUTH_CONNECTIONS=50    # concurrent /oauth2/token and /oauth2/introspect clients
PASSKEY_CONNECTIONS=16  # concurrent passwordless sign-ins (each signs its assertion on the generator's core)
DURATION=10             # seconds per measured phase
RESET_CONNECTIONS=8     # POST /password-reset clients (recovery phase), together sending
RESET_RATE=200          # requests/s, for an address with an account and an unknown one alike (below either's capacity)
RELAY_MAILS=2000        # mails put in the outbox at once to time the relay
QUEUED_MAILS=1000       # mails queued against the stopped SMTP server while logins are timed
WARMUP=5                # seconds of JWKS warm-up and of each login warm-up round
WARMUP_MAX=90           # bound on the login and on the refresh warm-up, which go on until CPU per operation settles
# Extra server environment: the brute-force limits (sigil.rate-limits.*) raised far above what this
# benchmark sends from 127.0.0.1, so it measures the service, not the limiter.
EXTRA_SERVER_ENV=(
    SIGIL_RATE_LIMITS_PER_ADDRESS=100000000
    SIGIL_RATE_LIMITS_PER_USERNAME=100000000
    SIGIL_RATE_LIMITS_LOCKOUT_THRESHOLD=100000000 # checks in flight for one user or client are reserved against it
    SIGIL_RECOVERY_PER_ADDRESS=100000000
    # Every reset for the account's address writes its token and mail, as the stand-in for an unknown one does:
    # the full work of both paths is compared, not the known path's cheap drop beyond the hourly allowance.
    SIGIL_RECOVERY_MAILS_PER_HOUR=100000000
    # The relay sends to Bench.java's SMTP sink (recovery phase only; no other phase writes mail). While it is
    # stopped, the relay probes again every 0.2 to 0.5 s instead of backing off to a minute: the harsher case.
    QUARKUS_MAILER_MOCK=false QUARKUS_MAILER_HOST=127.0.0.1 QUARKUS_MAILER_PORT=$SMTP_PORT QUARKUS_MAILER_FROM=sigil@localhost
    QUARKUS_MAILER_START_TLS=DISABLED
    SIGIL_MAIL_RETRY_BASE=PT0.2S SIGIL_MAIL_RETRY_MAX=PT0.5S
)
# JVM options and environment for the server. Default: those of the Kubernetes manifest (see its comment): Serial GC,
# an 80 MiB heap with a 24 MiB young generation (live set about 35 MiB; Argon2id is native, so its 19 MiB per hash is malloc'd and freed in C, not heap churn),
# compact object headers (JDK 25; dropped on 17), smaller thread stacks and code cache, bounded direct memory, freed
# malloc memory (C2's compile arenas, libargon2's) handed back to the OS every 5 s, at most two glibc malloc arenas,
# native access for JNA (libargon2) without a warning; the AOT cache is refused by a JVM whose GC, object
# headers or native access differ from its training run's (src/aot/train.sh), so these must match it.
SERVER_ENV=(MALLOC_ARENA_MAX=2)
# A bare JVM on this 24 GiB machine would otherwise size its heap for the whole machine.
# Override with BENCH_SERVER_JAVA_OPTS, e.g. '-XX:StartFlightRecording=filename=/tmp/s.jfr'.
read -r -a SERVER_JAVA_OPTS <<<"${BENCH_SERVER_JAVA_OPTS:--XX:+UseSerialGC -Xmx80m -Xmn24m -Xss512k -XX:ReservedCodeCacheSize=64m -XX:MaxDirectMemorySize=64m -XX:TrimNativeHeapInterval=5000 -XX:+UseCompactObjectHeaders --enable-native-access=ALL-UNNAMED}"

build=1 pin=1 only=startup,jwks,refresh,wait,session,login,oauth,exchange,passkey,recovery
while (($#)); do
    case "$1" in
        --no-build) build=0 ;;
        --no-pin) pin=0 ;;
        --duration) DURATION="$2"; shift ;;
        --warmup) WARMUP="$2"; shift ;;
        --warmup-max) WARMUP_MAX="$2"; shift ;;
        --only) only="$2"; shift ;;
        *) echo "usage: $0 [--no-build] [--no-pin] [--duration SECONDS] [--warmup SECONDS] [--warmup-max SECONDS] [--only startup,jwks,refresh,wait,session,login,oauth,exchange,passkey,recovery]" >&2; exit 2 ;;
    esac
    shift
done
phase() { [[ ,$only, == *,$1,* ]]; }

cd "$(dirname "$0")/../.."
APP=target/quarkus-app/quarkus-run.jar
OUT=target/bench/results.json
work=$(mktemp -d /tmp/sigil-bench.XXXXXX)
chmod 755 "$work" # nginx workers run as nobody and must read the JWKS file
results=$work/results.kv
server_pid='' nginx_pid='' wait_pid='' replica_pid=''

cleanup() {
    local status=$?
    set +e
    for pid in $server_pid $nginx_pid $wait_pid $replica_pid; do
        kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
    done
    redis-cli -n "$REDIS_DB" flushdb >/dev/null 2>&1
    if ((status != 0)) && [[ -s $work/sigil.log ]]; then
        echo "--- last lines of the Sigil log ---" >&2
        tail -n 40 "$work/sigil.log" >&2
    fi
    rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

say() { printf '== %s\n' "$*" >&2; }
record() { printf '%s=%s\n' "$1" "$2" >>"$results"; }
die() { echo "bench: $*" >&2; exit 1; }

install_if_missing() { # command package
    command -v "$1" >/dev/null && return
    say "installing $2"
    local sudo=''
    ((EUID == 0)) || sudo=sudo
    $sudo apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "$2" >/dev/null
}

ticks() { # utime + stime of a process, in clock ticks
    local stat rest
    stat=$(<"/proc/$1/stat")
    rest=${stat##*) }
    read -r -a f <<<"$rest"
    echo $((f[11] + f[12]))
}

rss_kib() {
    local key value
    while read -r key value _; do
        [[ $key == VmRSS: ]] && { echo "$value"; return; }
    done <"/proc/$1/status"
}

# "busy total" jiffies of the load generator's CPU (all CPUs when not pinned), from /proc/stat:
# near 100 % busy means wrk, not the server, set the pace.
cpu_times() {
    awk -v cpu="$LOAD_CPU" '$1 == cpu { t = 0; for (i = 2; i <= NF; i++) t += $i; print t - $5 - $6, t }' /proc/stat
}

to_ms() { # a wrk duration (e.g. 812.00us, 3.21ms, 1.02s) in milliseconds
    awk -v d="$1" 'BEGIN { v = d + 0; if (d ~ /us$/) v /= 1000; else if (d ~ /s$/ && d !~ /ms$/) v *= 1000; printf "%.3f", v }'
}

# wrk over one JWKS URL; records <name>_rps, _p99_ms, _errors and the server's CPU per request.
wrk_jwks() { # name url pid...
    local name=$1 url=$2
    shift 2
    local before=0 after=0 p out
    local busy0 busy1
    for p in "$@"; do before=$((before + $(ticks "$p"))); done
    busy0=$(cpu_times)
    out=$($LOAD wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" --latency "$url")
    busy1=$(cpu_times)
    for p in "$@"; do after=$((after + $(ticks "$p"))); done
    local rps p99 requests errors
    rps=$(awk '/^Requests\/sec:/ { print $2 }' <<<"$out")
    p99=$(to_ms "$(awk '$1 == "99%" { print $2 }' <<<"$out")")
    requests=$(awk '/requests in/ { print $1 }' <<<"$out")
    errors=$(awk '/Non-2xx/ { n += $NF } /Socket errors/ { gsub(/[^0-9 ]/, " "); for (i = 1; i <= NF; i++) n += $i } END { print n + 0 }' <<<"$out")
    record "jwks_${name}_rps" "$rps"
    record "jwks_${name}_p99_ms" "$p99"
    record "jwks_${name}_errors" "$errors"
    record "jwks_${name}_loadgen_cpu_pct" "$(awk -v a="$busy0" -v b="$busy1" 'BEGIN { split(a, x); split(b, y); printf "%.0f", 100 * (y[1] - x[1]) / (y[2] - x[2]) }')"
    record "jwks_${name}_cpu_us" "$(awk -v t=$((after - before)) -v hz="$CLK_TCK" -v n="$requests" 'BEGIN { printf "%.2f", t * 1e6 / hz / n }')"
    say "JWKS $name: $rps req/s, p99 $p99 ms, $errors errors"
}

# ---- Preconditions and build ----------------------------------------------------------------------
for port in $SIGIL_PORT $NGINX_PORT $SMTP_PORT; do
    ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null || die "port $port is already in use"
done
redis-cli -n "$REDIS_DB" ping >/dev/null || die "Redis is not answering on localhost:6379"
psql -h localhost -U postgres -d postgres -c 'select 1' >/dev/null || die "PostgreSQL is not answering on localhost:5432"
# The benchmark's own database: created on first use, so a fresh machine needs no manual step.
psql -h localhost -U postgres -d postgres -tAc "select 1 from pg_database where datname = '$DATABASE'" | grep -q 1 \
    || psql -h localhost -U postgres -d postgres -c "create database $DATABASE" >/dev/null \
    || die "cannot create PostgreSQL database $DATABASE"
redis_pid=$(redis-cli info server | awk -F: '/^process_id/ { print $2 + 0 }')
install_if_missing wrk wrk
install_if_missing nginx nginx-light

# JDK 25 (Temurin, beside the default JDK 17): the service is built with the Leyden AOT cache (profile aot) and
# run on it, as the JVM image ships it; without it, the plain JDK 17 build and no start-up comparison.
JAVA25=${BENCH_JAVA25_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
MINIMAL=src/bench/minimal/target/quarkus-app/quarkus-run.jar
if ((build)); then
    if [[ -x $JAVA25/bin/java ]]; then
        say "building with JDK 25 and the AOT cache (./mvnw -q package -DskipTests -Paot, trained by src/aot/train.sh on the bench's database), and the minimal Quarkus app"
        JAVA_HOME=$JAVA25 AOT_TRAINING_JDBC_URL="jdbc:postgresql://localhost:5432/$DATABASE" AOT_TRAINING_REDIS_URL="redis://localhost:6379/$REDIS_DB" \
            ./mvnw -q package -DskipTests -Paot
        JAVA_HOME=$JAVA25 ./mvnw -q -f src/bench/minimal/pom.xml package -DskipTests
    else
        say "building (./mvnw -q package -DskipTests); no JDK 25 at $JAVA25, so no AOT cache"
        ./mvnw -q package -DskipTests
    fi
fi
[[ -f $APP ]] || die "$APP is missing: run without --no-build"
SERVER_JAVA=java aot=0
if [[ -x $JAVA25/bin/java && -f target/quarkus-app/app.aot ]]; then
    SERVER_JAVA=$JAVA25/bin/java aot=1
else # JDK 17 has no compact object headers
    read -r -a SERVER_JAVA_OPTS <<<"${SERVER_JAVA_OPTS[*]/-XX:+UseCompactObjectHeaders/}"
    read -r -a SERVER_JAVA_OPTS <<<"${SERVER_JAVA_OPTS[*]/-XX:TrimNativeHeapInterval=5000/}" # experimental on 17
fi

CLK_TCK=$(getconf CLK_TCK)
record date "$(date -u +%Y-%m-%dT%H:%M:%SZ)"
record machine "$(nproc) CPUs, $(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo), $(java -version 2>&1 | awk 'NR == 2')"

# Server and nginx on core 0, everything that generates load on core 1; PostgreSQL and Redis are
# already running and float. With both cores shared, the load generator's own CPU would be counted
# against the server's throughput and make the figures swing.
SERVER='' LOAD='' LOAD_CPU=cpu
if ((pin)) && (($(nproc) >= 2)); then
    SERVER='taskset -c 0' LOAD='taskset -c 1' LOAD_CPU=cpu1
    taskset -cp 1 $$ >/dev/null # this script, curl and the raw benchmarks' launchers too
    placement='Sigil and nginx pinned to CPU 0 (so the JVM sees 1 CPU), load generators to CPU 1, PostgreSQL and Redis unpinned'
else
    placement='not pinned: server, load generators, PostgreSQL and Redis share all CPUs'
fi

record placement "$placement"

# The generator is compiled against the very jars the service runs with (same ACCP, Bouncy Castle and libargon2).
cp=$(ls target/quarkus-app/lib/main/*AmazonCorrettoCryptoProvider*.jar target/quarkus-app/lib/main/*bcprov*.jar \
    target/quarkus-app/lib/main/*argon2-jvm*.jar target/quarkus-app/lib/main/*jna-[0-9]*.jar | paste -sd:)
javac -nowarn -cp "$cp" -d "$work/classes" src/bench/Bench.java
bench() { $LOAD java -cp "$work/classes:$cp" Bench "$@"; }
# A raw cost on the server's core while the server is idle, recorded as <when>_raw_...: taken right
# before and right after the phase it is compared with, because on a shared machine the CPU time of
# the very same work drifts by up to 2x within minutes (others' builds on the sibling hyperthreads).
raw() { # when what args...
    local when=$1
    shift
    $SERVER "$SERVER_JAVA" -cp "$work/classes:$cp" Bench "$@" | sed "s/^/${when}_/" >>"$results"
}

mkdir -p "$work/keys"
java -jar "$APP" --generate-key --dir "$work/keys" --activate-at "$(date -u -d '-1 min' +%Y-%m-%dT%H:%M:%SZ)" >/dev/null

# ---- Start-up -------------------------------------------------------------------------------------
redis-cli -n "$REDIS_DB" flushdb >/dev/null
suffix=$(od -An -N6 -tx1 /dev/urandom | tr -d ' \n')
user="bench-$suffix"
password=$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')
# Starts Sigil (from its directory, where the AOT cache expects it) with the server JVM options plus "$@",
# and waits until it is ready; sets server_pid and ready_ms.
refresh_key="$(head -c 32 /dev/urandom | base64)" # one key for every start: tokens outlive a restart
# sigil_port (default SIGIL_PORT) and sigil_env (settings) start another instance beside it (the wait phase).
start_sigil() {
    local start_ns port=${sigil_port:-$SIGIL_PORT}
    start_ns=$(date +%s%N)
    (cd "$(dirname "$APP")" && exec env SIGIL_ISSUER="http://localhost:$port" SIGIL_KEYS_DIR="$work/keys" QUARKUS_HTTP_PORT=$port \
        QUARKUS_DATASOURCE_REACTIVE_URL="postgresql://localhost:5432/$DATABASE" \
        QUARKUS_DATASOURCE_JDBC_URL="jdbc:postgresql://localhost:5432/$DATABASE" \
        QUARKUS_REDIS_HOSTS="redis://localhost:6379/$REDIS_DB" \
        SIGIL_ADMIN_ROLE="bench-admin-$suffix" SIGIL_BOOTSTRAP_ADMIN_USERNAME="$user" SIGIL_BOOTSTRAP_ADMIN_PASSWORD="$password" \
        SIGIL_BOOTSTRAP_ADMIN_EMAIL="$user@example.com" \
        SIGIL_TOKENS_REFRESH_KEY="$refresh_key" \
        "${EXTRA_SERVER_ENV[@]}" "${SERVER_ENV[@]}" ${sigil_env[@]+"${sigil_env[@]}"} \
        $SERVER "$SERVER_JAVA" "${SERVER_JAVA_OPTS[@]}" "$@" -jar "$(basename "$APP")") >"$work/sigil${sigil_port:+-$sigil_port}.log" 2>&1 &
    server_pid=$!
    wait_ready "http://127.0.0.1:$port/q/health/ready" "$start_ns"
}
wait_ready() { # url start_ns; sets ready_ms
    until curl -fs -o /dev/null --max-time 1 "$1"; do
        kill -0 "$server_pid" 2>/dev/null || die "the server exited during start-up"
        (($(date +%s%N) - $2 < READY_SECONDS * 1000000000)) || die "the server was not ready within $READY_SECONDS s"
        sleep 0.01
    done
    ready_ms=$((($(date +%s%N) - $2) / 1000000))
}
stop_server() {
    kill "$server_pid" && wait "$server_pid" || true
    server_pid=''
}
median3() { printf '%s\n' "$@" | sort -n | sed -n 2p; }
if ((aot)) && phase startup; then
    # Same build, same JVM, same options: without the cache, with it, and the minimal Quarkus REST +
    # smallrye-jwt app, interleaved three times (the median of each), as the machine's load drifts.
    say "start-up on JDK 25: without the AOT cache, with it, and the minimal Quarkus app, three rounds"
    without=() with=() minimal=()
    for _ in 1 2 3; do
        start_sigil -XX:AOTMode=off; without+=("$ready_ms"); stop_server
        start_sigil -XX:AOTMode=on -XX:AOTCache=app.aot; with+=("$ready_ms"); stop_server
        start_ns=$(date +%s%N)
        (cd "$(dirname "$MINIMAL")" && exec env QUARKUS_HTTP_PORT=$SIGIL_PORT $SERVER "$SERVER_JAVA" "${SERVER_JAVA_OPTS[@]}" -jar quarkus-run.jar) \
            >"$work/minimal.log" 2>&1 &
        server_pid=$!
        wait_ready "http://127.0.0.1:$SIGIL_PORT/hello" "$start_ns"
        minimal+=("$ready_ms"); stop_server
    done
    record startup_nocache_ms "$(median3 "${without[@]}")"
    record startup_aot_ms "$(median3 "${with[@]}")"
    record startup_minimal_ms "$(median3 "${minimal[@]}")"
    record startup_rounds "without ${without[*]}; with ${with[*]}; minimal ${minimal[*]}"
fi
say "starting Sigil on port $SIGIL_PORT ($SERVER_JAVA$( ((aot)) && echo ', with the AOT cache'))"
if ((aot)); then start_sigil -XX:AOTMode=on -XX:AOTCache=app.aot; else start_sigil; fi
record startup_ms "$ready_ms"
record server_jvm "$("$SERVER_JAVA" -version 2>&1 | awk 'NR == 2')"
record argon2_implementation "$(sed -n 's/.*Argon2id: \([a-z-]*\) implementation.*/\1/p' "$work/sigil.log" | head -n 1)"
grep -q 'Crypto provider: AmazonCorrettoCryptoProvider' "$work/sigil.log" \
    || say "WARNING: Sigil does not sign with AmazonCorrettoCryptoProvider: $(grep -o 'Crypto provider: .*' "$work/sigil.log")"

# ---- nginx serving the identical JWKS bytes -------------------------------------------------------
mkdir -p "$work/nginx/html/.well-known" "$work/nginx/logs"
curl -fs -o "$work/nginx/html/.well-known/jwks.json" "http://127.0.0.1:$SIGIL_PORT/.well-known/jwks.json"
cat >"$work/nginx/nginx.conf" <<EOF
worker_processes 1;
daemon off;
pid $work/nginx/nginx.pid;
error_log $work/nginx/logs/error.log warn;
events { worker_connections 1024; }
http {
    access_log off;
    sendfile on;
    tcp_nodelay on;
    keepalive_requests 1000000;  # like Vert.x: no forced reconnects during the run
    client_body_temp_path $work/nginx/tmp;
    proxy_temp_path $work/nginx/tmp;
    fastcgi_temp_path $work/nginx/tmp;
    uwsgi_temp_path $work/nginx/tmp;
    scgi_temp_path $work/nginx/tmp;
    server {
        listen 127.0.0.1:$NGINX_PORT;
        root $work/nginx/html;
        location = /.well-known/jwks.json {
            default_type application/json;
            add_header Cache-Control "public, max-age=300";
        }
    }
}
EOF
$SERVER nginx -p "$work/nginx" -c "$work/nginx/nginx.conf" &
nginx_pid=$!
for _ in $(seq 100); do curl -fs -o /dev/null "http://127.0.0.1:$NGINX_PORT/.well-known/jwks.json" && break; sleep 0.05; done
cmp -s "$work/nginx/html/.well-known/jwks.json" <(curl -fs "http://127.0.0.1:$NGINX_PORT/.well-known/jwks.json") \
    || die "nginx does not serve the JWKS bytes"
record nginx_version "$(nginx -v 2>&1 | sed 's/.*nginx\///')"

# ---- Warm-up, then idle RSS -----------------------------------------------------------------------
opts=(port=$SIGIL_PORT pid=$server_pid redis-pid=$redis_pid clk-tck=$CLK_TCK user="$user" password="$password")
say "warm-up: ${WARMUP}s of JWKS, then login and refresh until each settles (at most ${WARMUP_MAX}s each)"
$LOAD wrk -t2 -c"$CONNECTIONS" -d"${WARMUP}s" "http://127.0.0.1:$SIGIL_PORT/.well-known/jwks.json" >/dev/null
$LOAD wrk -t2 -c"$CONNECTIONS" -d"${WARMUP}s" "http://127.0.0.1:$NGINX_PORT/.well-known/jwks.json" >/dev/null
! phase refresh && ! phase wait && ! phase login && ! phase session && ! phase recovery || bench warmup "${opts[@]}" sessions=$SESSIONS concurrency=$LOGIN_CONCURRENCY seconds="$WARMUP" max-seconds=$WARMUP_MAX
sleep 3
record rss_idle_kib "$(rss_kib "$server_pid")"

# ---- Measured phases ------------------------------------------------------------------------------
if phase jwks; then
    say "JWKS: ${DURATION}s each, Sigil then nginx, $CONNECTIONS connections"
    wrk_jwks sigil "http://127.0.0.1:$SIGIL_PORT/.well-known/jwks.json" "$server_pid"
    wrk_jwks nginx "http://127.0.0.1:$NGINX_PORT/.well-known/jwks.json" "$nginx_pid" $(pgrep -P "$nginx_pid")
fi
kill "$nginx_pid"
wait "$nginx_pid" || true
nginx_pid=''

if phase refresh; then
    say "refresh: $SESSIONS chains for ${DURATION}s, between two measurements of the raw RS256 cost"
    raw before raw-rs256 "$work"/keys/*.pem 3
    bench refresh "${opts[@]}" sessions=$SESSIONS seconds="$DURATION" >>"$results"
    raw after raw-rs256 "$work"/keys/*.pem 3
fi

# Replica acknowledgement's cost (moved here from RedisTopologiesIT, which now only asserts what WAIT guarantees):
# a replica of the local Redis, and a second Sigil on the same Redis that waits for it (wait-replicas=1,
# wait-timeout 0.5 s); refresh chains on the plain instance and the waiting one in turns, ABBA, so that a
# drift of the host weighs on both alike; the idle one sits on the same CPU. Redis CPU is the master's.
if phase wait; then
    replica_port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    say "replica acknowledgement: a replica of the local Redis on port $replica_port, a second Sigil on port $WAIT_PORT that waits for it; $SESSIONS chains, ABBA turns of $((DURATION / 2 > 0 ? DURATION / 2 : 1))s"
    redis-server --port "$replica_port" --bind 127.0.0.1 --save '' --appendonly no --dir "$work" \
        --replicaof 127.0.0.1 6379 >"$work/replica.log" 2>&1 &
    replica_pid=$!
    for _ in $(seq 300); do
        redis-cli -p "$replica_port" info replication 2>/dev/null | grep -q 'master_link_status:up' && break
        sleep 0.1
    done
    redis-cli -p "$replica_port" info replication | grep -q 'master_link_status:up' || die "the replica did not sync with the local Redis"
    plain_pid=$server_pid
    sigil_port=$WAIT_PORT sigil_env=(SIGIL_REDIS_WAIT_REPLICAS=1 SIGIL_REDIS_WAIT_TIMEOUT=PT0.5S)
    if ((aot)); then start_sigil -XX:AOTMode=on -XX:AOTCache=app.aot; else start_sigil; fi
    wait_pid=$server_pid server_pid=$plain_pid
    unset sigil_port sigil_env
    wait_opts=(port=$WAIT_PORT pid=$wait_pid redis-pid=$redis_pid clk-tck=$CLK_TCK user="$user" password="$password")
    # The new instance's JIT warms up as the plain one's did; its warm-up is not measured.
    bench warmup "${wait_opts[@]}" sessions=$SESSIONS concurrency=$LOGIN_CONCURRENCY seconds="$WARMUP" max-seconds=$WARMUP_MAX
    turn=0
    for which in plain wait wait plain; do
        turn=$((turn + 1))
        if [[ $which == plain ]]; then turn_opts=("${opts[@]}"); else turn_opts=("${wait_opts[@]}"); fi
        bench refresh "${turn_opts[@]}" sessions=$SESSIONS seconds=$((DURATION / 2 > 0 ? DURATION / 2 : 1)) \
            | sed -n "s/^refresh_/wait_${which}${turn}_/p" >>"$results"
    done
    record wait_replica_lag "$(redis-cli info replication | awk -F: '/^slave0/ { print $2 }' | tr -d '\r')"
    kill "$wait_pid" && wait "$wait_pid" || true
    kill "$replica_pid" && wait "$replica_pid" || true
    wait_pid='' replica_pid=''
fi

phase session && say "Redis bytes of one session after 0 and 2,000 rotations (MEMORY USAGE over its keys)"
cookie_of() { sed -n 's/^[Ss]et-[Cc]ookie: __Secure-refresh_token=\([^;]*\);.*/\1/p'; }
session_bytes() { # refresh token: its user and session id route to the session's keys
    local k total=0 b key
    k=$(python3 -c 'import base64,sys,uuid; r=base64.urlsafe_b64decode(sys.argv[1]+"=="); print("sigil:{%s}:s:%s" % (uuid.UUID(bytes=r[1:17]), base64.urlsafe_b64encode(r[17:33]).decode().rstrip("=")))' "$1")
    for key in "$k" "$k:old" "$k:next"; do
        b=$(redis-cli -n "$REDIS_DB" memory usage "$key" samples 0)
        total=$((total + ${b:-0}))
    done
    echo "$total"
}
token=$(curl -fs -D - -o /dev/null -H 'Content-Type: application/json' -d "{\"username\":\"$user\",\"password\":\"$password\"}" \
    "http://127.0.0.1:$SIGIL_PORT/login" | tr -d '\r' | cookie_of)
phase session && record session_bytes_0 "$(session_bytes "$token")"
phase session && for _ in $(seq 2000); do
    token=$(curl -fs -D - -o /dev/null -X POST -H 'Content-Length: 0' -H "Cookie: __Secure-refresh_token=$token" \
        "http://127.0.0.1:$SIGIL_PORT/refresh-token" | tr -d '\r' | cookie_of)
done
phase session && record session_bytes_2000 "$(session_bytes "$token")"
if phase login; then
    say "login: $LOGIN_CONCURRENCY concurrent for ${DURATION}s, JWKS probe at $PROBE_RATE req/s, between two measurements of the raw Argon2id cost"
    raw before raw-argon2 4
    bench login "${opts[@]}" concurrency=$LOGIN_CONCURRENCY probe-rate=$PROBE_RATE seconds="$DURATION" >>"$results"
    raw after raw-argon2 4
fi

if phase oauth; then
    say "client credentials and introspection: $OAUTH_CONNECTIONS connections, warm-up then ${DURATION}s each, grants between two measurements of the raw RS256 cost"
    json_field() { sed -n "s/.*\"$1\":\"\([^\"]*\)\".*/\1/p"; }
    admin_token=$(curl -fs -H 'Content-Type: application/json' -d "{\"username\":\"$user\",\"password\":\"$password\"}" \
        "http://127.0.0.1:$SIGIL_PORT/login" | json_field access_token)
    client_id="bench-$suffix"
    client_secret=$(curl -fs -H "Authorization: Bearer $admin_token" -H 'Content-Type: application/json' \
        -d "{\"client_id\":\"$client_id\",\"scopes\":[\"bench\"],\"default_scopes\":[\"bench\"],\"audience\":[\"bench-api\"]}" \
        "http://127.0.0.1:$SIGIL_PORT/admin/clients" | json_field client_secret)
    [[ -n $client_secret ]] || die "could not create the benchmark's OAuth client"
    client_token=$(curl -fs -u "$client_id:$client_secret" -d grant_type=client_credentials "http://127.0.0.1:$SIGIL_PORT/oauth2/token" \
        | json_field access_token)
    [[ -n $client_token ]] || die "the benchmark's OAuth client got no token"
    record oauth_connections "$OAUTH_CONNECTIONS"
    oauth_opts=("${opts[@]}" connections=$OAUTH_CONNECTIONS client-id="$client_id" client-secret="$client_secret" max-warmup=$WARMUP_MAX seconds="$DURATION")
    raw before_grant raw-rs256 "$work"/keys/*.pem 3
    bench grant "${oauth_opts[@]}" >>"$results"
    raw after_grant raw-rs256 "$work"/keys/*.pem 3
    bench introspect "${oauth_opts[@]}" token="$client_token" >>"$results"
fi

if phase exchange; then
    say "token exchange (RFC 8693) of a user token: $OAUTH_CONNECTIONS connections, warm-up then ${DURATION}s, between two measurements of the raw RS256 cost"
    json_field() { sed -n "s/.*\"$1\":\"\([^\"]*\)\".*/\1/p"; }
    user_token=$(curl -fs -H 'Content-Type: application/json' -d "{\"username\":\"$user\",\"password\":\"$password\"}" \
        "http://127.0.0.1:$SIGIL_PORT/login" | json_field access_token)
    exchange_id="bench-tx-$suffix"
    exchange_secret=$(curl -fs -H "Authorization: Bearer $user_token" -H 'Content-Type: application/json' \
        -d "{\"client_id\":\"$exchange_id\",\"audience\":[\"bench-api\"],\"token_exchange\":{\"subjects\":[\"user\"],\"scopes\":[\"bench\"]}}" \
        "http://127.0.0.1:$SIGIL_PORT/admin/clients" | json_field client_secret)
    [[ -n $exchange_secret ]] || die "could not create the benchmark's token-exchange client"
    record oauth_connections "$OAUTH_CONNECTIONS"
    # The user token lives 15 minutes: the warm-up (at most WARMUP_MAX) and the run fit well within it.
    exchange_opts=("${opts[@]}" connections=$OAUTH_CONNECTIONS client-id="$exchange_id" client-secret="$exchange_secret"
        max-warmup=$WARMUP_MAX seconds="$DURATION" token="$user_token")
    raw before_exchange raw-rs256 "$work"/keys/*.pem 3
    bench exchange "${exchange_opts[@]}" >>"$results"
    raw after_exchange raw-rs256 "$work"/keys/*.pem 3
fi

if phase passkey; then
    # The issue's yardstick: one RS256 signature (the access token) plus one ES256 verification (the assertion).
    say "passwordless sign-in with a passkey: $PASSKEY_CONNECTIONS connections, warm-up then ${DURATION}s, between two measurements of raw RS256 + raw ES256"
    record passkey_connections "$PASSKEY_CONNECTIONS"
    raw before_passkey raw-rs256 "$work"/keys/*.pem 3
    raw before_passkey raw-es256 3
    bench passkey "${opts[@]}" connections=$PASSKEY_CONNECTIONS max-warmup=$WARMUP_MAX seconds="$DURATION" >>"$results"
    raw after_passkey raw-rs256 "$work"/keys/*.pem 3
    raw after_passkey raw-es256 3
fi

if phase recovery; then
    say "account recovery: $RELAY_MAILS mails through the relay to an SMTP sink; POST /password-reset for the account's and an unknown address, $RESET_RATE/s on $RESET_CONNECTIONS connections, turns of $((DURATION / 2 > 0 ? DURATION / 2 : 1))s KUUKKUUK; logins ABBA of ${DURATION}s, outbox empty / $QUEUED_MAILS queued against the stopped sink"
    busy0=$(grep -c 'reason=busy' "$work/sigil.log" || true)
    bench recovery "${opts[@]}" smtp-port=$SMTP_PORT database="$DATABASE" email="$user@example.com" mails=$RELAY_MAILS queued=$QUEUED_MAILS \
        connections=$RESET_CONNECTIONS rate=$RESET_RATE seconds="$DURATION" max-warmup=$WARMUP_MAX >>"$results"
    # Resets dropped because too many token writes were in flight (RecoveryMails.MAX_DETACHED): cheap, so they must stay 0.
    record reset_dropped_busy $(($(grep -c 'reason=busy' "$work/sigil.log" || true) - busy0))
fi

# ---- Report ---------------------------------------------------------------------------------------
echo
bench report "$results" "$OUT"
echo
echo "JSON: $OUT"
