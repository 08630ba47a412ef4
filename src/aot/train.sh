#!/usr/bin/env bash
# Trains Sigil's JDK 25 AOT cache (Leyden) on a real workload and writes target/quarkus-app/app.aot.
#
#   JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64 ./mvnw package -DskipTests -Paot && src/aot/train.sh
#
# Quarkus' build-time training (profile aot alone) only starts the application's static init, so what
# start-up does next (Hibernate Reactive and Flyway against PostgreSQL, Redis, the first requests) is still
# loaded, linked and interpreted at every start. This starts the packaged service once with
# -XX:AOTCacheOutput against a real PostgreSQL and Redis, sends it the requests a service answers in its
# first seconds (health, JWKS, discovery, login, refresh, /me, logout, a failed login), stops it with
# SIGTERM, and the JVM writes the cache as it exits.
#
# Needs PostgreSQL and Redis. Environment (defaults for a local machine):
#   AOT_TRAINING_JDBC_URL      jdbc:postgresql://localhost:5432/sigil_aot_training (created when missing)
#   AOT_TRAINING_REDIS_URL     redis://localhost:6379/15 (only short-lived session keys of a throw-away user)
#   JAVA_HOME                  the JDK 25 that will run the cache (a cache is refused by any other JDK build)
# The JVM options below must keep the GC and object-header layout of the JVM that runs the cache
# (src/main/kubernetes/sigil.yaml, src/main/docker/Dockerfile.jvm, the bench).
set -euo pipefail
cd "$(dirname "$0")/../.."
app=target/quarkus-app
[[ -f $app/quarkus-run.jar ]] || { echo "train.sh: $app/quarkus-run.jar missing: build with -Paot first" >&2; exit 1; }
java=${JAVA_HOME:+$JAVA_HOME/bin/}java
jdbc=${AOT_TRAINING_JDBC_URL:-jdbc:postgresql://localhost:5432/sigil_aot_training}
redis=${AOT_TRAINING_REDIS_URL:-redis://localhost:6379/15}

# The training database: created when missing (Flyway migrates it like any other at start-up).
db=${jdbc##*/}
db=${db%%\?*}
if command -v psql >/dev/null; then
    psql -h localhost -U postgres -d postgres -tAc "select 1 from pg_database where datname = '$db'" | grep -q 1 \
        || psql -h localhost -U postgres -d postgres -qc "create database $db"
fi

work=$(mktemp -d /tmp/sigil-aot.XXXXXX)
pid=''
cleanup() {
    [[ -n $pid ]] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
    rm -rf "$work"
}
trap cleanup EXIT

"$java" -jar "$app/quarkus-run.jar" --generate-key --dir "$work/keys" \
    --activate-at "$(date -u -d '-1 min' +%Y-%m-%dT%H:%M:%SZ)" >/dev/null
suffix=$(od -An -N6 -tx1 /dev/urandom | tr -d ' \n')
user="aot-training-$suffix"
password=$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')

rm -f "$app/app.aot"
# Port 0: the OS picks a free one, which the start-up log then names.
(cd "$app" && exec env SIGIL_ISSUER="http://localhost" SIGIL_KEYS_DIR="$work/keys" QUARKUS_HTTP_PORT=0 \
    QUARKUS_DATASOURCE_JDBC_URL="$jdbc" QUARKUS_DATASOURCE_REACTIVE_URL="${jdbc#jdbc:}" QUARKUS_REDIS_HOSTS="$redis" \
    SIGIL_ADMIN_ROLE="aot-training-admin-$suffix" SIGIL_BOOTSTRAP_ADMIN_USERNAME="$user" SIGIL_BOOTSTRAP_ADMIN_PASSWORD="$password" \
    SIGIL_TOKENS_REFRESH_KEY="$(head -c 32 /dev/urandom | base64)" \
    "$java" -XX:AOTCacheOutput=app.aot -XX:+UseSerialGC -XX:+UseCompactObjectHeaders --enable-native-access=ALL-UNNAMED \
    -jar quarkus-run.jar) >"$work/sigil.log" 2>&1 &
pid=$!
deadline=$((SECONDS + 180))
base=''
until [[ -n $base ]] && curl -fs -o /dev/null --max-time 2 "$base/q/health/ready"; do
    port=$(sed -n 's/.*Listening on: http:\/\/[^ ]*:\([0-9][0-9]*\).*/\1/p' "$work/sigil.log" | head -n 1)
    [[ -n $port ]] && base="http://127.0.0.1:$port"
    kill -0 "$pid" 2>/dev/null || { tail -n 40 "$work/sigil.log" >&2; echo "train.sh: the service exited" >&2; exit 1; }
    ((SECONDS < deadline)) || { tail -n 40 "$work/sigil.log" >&2; echo "train.sh: not ready in 180 s" >&2; exit 1; }
    sleep 0.2
done

expect() { # status method path [curl args...]: one request, which must answer with status
    local want=$1 method=$2 path=$3 got
    shift 3
    got=$(curl -s -o "$work/body" -D "$work/headers" -w '%{http_code}' -X "$method" "$@" "$base$path")
    [[ $got == "$want" ]] || { echo "train.sh: $method $path answered $got, expected $want" >&2; cat "$work/body" >&2; exit 1; }
}
cookie() { sed -n 's/^[Ss]et-[Cc]ookie: \([^;]*\);.*/\1/p' "$work/headers" | head -n 1; }
json='Content-Type: application/json'
for round in 1 2 3 4 5; do
    expect 200 GET /q/health/ready
    expect 200 GET /q/health/live
    expect 200 GET /.well-known/jwks.json
    expect 200 GET /.well-known/openid-configuration
    expect 200 GET /.well-known/oauth-authorization-server
    expect 401 POST /login -H "$json" -d "{\"username\":\"$user\",\"password\":\"wrong-password-$round\"}"
    expect 401 POST /login -H "$json" -d "{\"username\":\"nobody-$suffix\",\"password\":\"wrong-password-$round\"}"
    expect 400 POST /login -H "$json" -d '{"username":1}'
    expect 200 POST /login -H "$json" -d "{\"username\":\"$user\",\"password\":\"$password\"}"
    c=$(cookie)
    access=$(sed -n 's/.*"access_token":"\([^"]*\)".*/\1/p' "$work/body")
    expect 200 GET /me -H "Authorization: Bearer $access"
    expect 200 GET /sessions -H "Authorization: Bearer $access"
    expect 401 GET /me -H "Authorization: Bearer not-a-token"
    for _ in 1 2 3 4 5 6 7 8; do
        expect 200 POST /refresh-token -H "Cookie: $c"
        c=$(cookie)
    done
    expect 401 POST /refresh-token -H "Cookie: ${c%=*}=not-a-token"
    expect 204 DELETE /refresh-token -H "Cookie: $c"
done
expect 200 GET /q/metrics
expect 200 GET /q/openapi

kill -TERM "$pid"
status=0
wait "$pid" || status=$?
pid=''
# 143: terminated by the SIGTERM above, after a graceful shutdown (the cache is written as the JVM exits).
((status == 0 || status == 143)) || { tail -n 40 "$work/sigil.log" >&2; echo "train.sh: the service exited with $status" >&2; exit 1; }
[[ -s $app/app.aot ]] || { tail -n 40 "$work/sigil.log" >&2; echo "train.sh: no $app/app.aot written" >&2; exit 1; }
echo "train.sh: $app/app.aot ($(du -h "$app/app.aot" | cut -f1)) trained on $("$java" -version 2>&1 | awk 'NR == 2')"
