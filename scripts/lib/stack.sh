# The whole system on this machine — a private RabbitMQ node, a PostgreSQL cluster and every
# service's release executable — under one folder and on one set of ports. Sourced (after
# common.sh) by scripts/run, scripts/chaos and scripts/fuzz, so all three start the services the
# same way. Call stack_init first; it sets the globals the other functions use.

# stack_init RUN_DIR AMQP_PORT PG_PORT HTTP_PORT OPS_PORT_BASE
stack_init() {
  RUN_DIR=$1; AMQP_PORT=$2; PG_PORT=$3; HTTP_PORT=$4; OPS_BASE=$5
  SECRETS="$RUN_DIR/secrets.env"
  # Two nodes of one name cannot share the machine's epmd: any other port gets its own node name.
  local node=stitch; [ "$AMQP_PORT" = 5672 ] || node="stitch-$AMQP_PORT"
  BROKER=("$RUN_DIR/rabbit" "$node" "$AMQP_PORT" $((AMQP_PORT + 20000)) $((AMQP_PORT + 10000)))
  PG_HOME=$(pg_home "$RUN_DIR/pg")
  SHUTDOWN_SECONDS=${STITCH_SHUTDOWN_SECONDS:-20}
  READY_SECONDS=${STITCH_READY_SECONDS:-60}
  HTTP_HOST=${STITCH_HTTP_HOST:-127.0.0.1}
  CORS_ORIGINS=${STITCH_CORS_ORIGINS:-http://127.0.0.1:$HTTP_PORT,http://localhost:$HTTP_PORT}
  STACK_BROKER_PLUGINS=${STACK_BROKER_PLUGINS:-yes}   # management UI + prometheus
  STACK_PG_FAST=${STACK_PG_FAST:-no}                 # yes: fsync off (never for chaos)
  STACK_DEMO_DATA=${STACK_DEMO_DATA:-yes}            # demo SPKs and an order through the API
  # Where the services find the broker (host:port of each node of one cluster) and the database.
  read -r -a AMQP_ADDRESSES <<<"${STACK_AMQP_ADDRESSES:-127.0.0.1:$AMQP_PORT}"
  PG_ADDRESS=${STACK_PG_ADDRESS:-127.0.0.1:$PG_PORT}
}

# Where an instance runs: its network namespace (none: this host) and the address its API and ops
# ports listen on. scripts/cluster redefines both to spread the instances over its hosts.
instance_netns() { :; }
instance_address() { echo 127.0.0.1; }

service_binary() { echo "$STITCH_ROOT/.build/release/stitch-$1"; }

# service_env SERVICE: exports what SERVICE needs (call it in a subshell). Each service logs into
# the broker as its own user and into PostgreSQL as its own role; only the gateway gets the JWT
# secret and the actor signing key, every service the actor public key.
service_env() {
  local svc=$1 node urls=()
  for node in "${AMQP_ADDRESSES[@]}"; do
    urls+=("amqp://stitch_$svc:$(secret "$SECRETS" "STITCH_AMQP_PASSWORD_${svc^^}")@$node/stitch")
  done
  # Several nodes of one cluster, comma separated: each connection fails over among them.
  export STITCH_AMQP_URL="$(IFS=,; echo "${urls[*]}")"
  export STITCH_DATABASE_URL="postgres://stitch_$svc:$(secret "$SECRETS" "STITCH_DB_PASSWORD_${svc^^}")@$PG_ADDRESS/stitch"
  export STITCH_ACTOR_PUBLIC_KEY="$(secret "$SECRETS" STITCH_ACTOR_PUBLIC_KEY)"
  export STITCH_SHUTDOWN_SECONDS="$SHUTDOWN_SECONDS"
  # Marks the processes of this stack, so stop finds a copy whose pid file was lost.
  export STITCH_RUN_DIR="$RUN_DIR"
  if [ "$svc" = gateway ]; then
    export STITCH_JWT_SECRET="$(secret "$SECRETS" STITCH_JWT_SECRET)"
    export STITCH_ACTOR_SIGNING_KEY="$(secret "$SECRETS" STITCH_ACTOR_SIGNING_KEY)"
    export STITCH_HTTP_HOST="$HTTP_HOST" STITCH_CORS_ORIGINS="$CORS_ORIGINS" STITCH_SEED_DEMO=true
  fi
}

# with_service_env SERVICE COMMAND…: runs COMMAND (as this process, exec) with SERVICE's settings.
with_service_env() { ( service_env "$1"; shift; exec "$@" ); }

# instance_alive SERVICE PID: PID is a running copy of SERVICE's executable (not a reused pid).
instance_alive() {
  local exe
  [ -n "${2:-}" ] && exe=$(readlink "/proc/$2/exe" 2>/dev/null) || return 1
  [ "${exe% (deleted)}" = "$(readlink -f "$(service_binary "$1")")" ]
}

# stray_pids [INSTANCE]: processes of this stack (by marker, or by our executables talking to our
# broker port — copies left by an older ./scripts/run) that no pid file may know of.
stray_pids() {
  local want=${1:-} p exe env release
  release=$(readlink -f "$STITCH_ROOT/.build/release" 2>/dev/null) || return 0
  for p in /proc/[0-9]*; do
    exe=$(readlink "$p/exe" 2>/dev/null) || continue
    case "${exe% (deleted)}" in "$release"/stitch-*) ;; *) continue ;; esac
    env=$(tr '\0' '\n' <"$p/environ" 2>/dev/null) || continue
    grep -qxF "STITCH_RUN_DIR=$RUN_DIR" <<<"$env" || grep -q "^STITCH_AMQP_URL=amqp://[^@]*@127\.0\.0\.1:$AMQP_PORT/" <<<"$env" || continue
    [ -z "$want" ] || grep -qxF "STITCH_INSTANCE=$want" <<<"$env" || continue
    echo "${p#/proc/}"
  done
}

# instances: "SERVICE N OPS_PORT HTTP_PORT" for every instance of every built service, in start order.
instances() {
  local svc i count var port=$OPS_BASE http=$HTTP_PORT
  for svc in "${STITCH_SERVICES[@]}"; do
    [ -x "$(service_binary "$svc")" ] || continue
    var="STITCH_${svc^^}_INSTANCES"; count=${!var:-1}
    for ((i = 1; i <= count; i++)); do
      if [ "$svc" = gateway ]; then echo "$svc $i $port $http"; http=$((http + 1)); else echo "$svc $i $port -"; fi
      port=$((port + 1))
    done
  done
}

pid_of() { cat "$RUN_DIR/services/$1-$2.pid" 2>/dev/null || true; }

# start_instance SERVICE N OPS_PORT HTTP_PORT: starts one instance in the background; the pid file
# holds the service's own pid (the subshell execs setsid, which execs the executable in place).
start_instance() {
  local svc=$1 i=$2 ops=$3 http=$4 ns wrap=()
  mkdir -p "$RUN_DIR/services" "$RUN_DIR/logs"
  ns=$(instance_netns "$svc" "$i")
  [ -z "$ns" ] || wrap=(ip netns exec "$ns")   # execs in place: the pid stays the service's
  (
    service_env "$svc"
    export STITCH_INSTANCE="$svc-$i" STITCH_OPS_PORT="$ops"
    [ "$svc" = gateway ] && export STITCH_HTTP_PORT="$http"
    [ -z "$ns" ] || export STITCH_OPS_HOST="$(instance_address "$svc" "$i")" STITCH_HTTP_HOST="$(instance_address "$svc" "$i")"
    exec "${wrap[@]}" setsid "$(service_binary "$svc")" </dev/null >>"$RUN_DIR/logs/$svc-$i.log" 2>&1
  ) &
  echo $! >"$RUN_DIR/services/$svc-$i.pid"
  disown $!   # not a job of this shell: no "Killed" notice when chaos kills it
  echo "$ops $http" >"$RUN_DIR/services/$svc-$i.ports"
  STARTED_AT["$svc-$i"]=$SECONDS
}
declare -gA STARTED_AT=()

# ready_check SERVICE N: its /ready answers 200 (the body, e.g. "database: down", on stdout otherwise).
ready_check() {
  local ops http body code
  read -r ops http <"$RUN_DIR/services/$1-$2.ports" 2>/dev/null || return 1
  body=$(curl -sS --max-time 3 -w '\n%{http_code}' "http://$(instance_address "$1" "$2"):$ops/ready" 2>/dev/null); code=$?
  if [ $code = 7 ] && [ "$http" != - ]; then
    # A gateway without its own ops listener (older code) answers /ready on its API port.
    body=$(curl -sS --max-time 3 -w '\n%{http_code}' "http://127.0.0.1:$http/ready" 2>/dev/null)
  fi
  code=${body##*$'\n'}
  [ "$code" = 200 ] && return 0
  if [ -z "$code" ] || [ "$code" = 000 ]; then echo "no answer"; else echo "HTTP $code: $(tr '\n' ' ' <<<"${body%$'\n'*}")"; fi
  return 1
}

# wait_ready SERVICE N: until its /ready answers, at most READY_SECONDS from its start; otherwise
# prints the tail of its log and fails.
wait_ready() {
  local svc=$1 i=$2 pid last
  local deadline=$(( ${STARTED_AT["$svc-$i"]:-$SECONDS} + READY_SECONDS ))
  pid=$(pid_of "$svc" "$i")
  while :; do
    if ! instance_alive "$svc" "$pid"; then
      # Still between fork and exec (setsid, or `ip netns exec` setting up its host): wait for it.
      if [ -e "/proc/$pid" ] && ! grep -q '^State:.*[ZX]' "/proc/$pid/status" 2>/dev/null && [ $SECONDS -lt $deadline ]; then
        sleep 0.2; continue
      fi
      log "$svc#$i (pid $pid) exited while starting; the end of its log $RUN_DIR/logs/$svc-$i.log:"
      tail -n 25 "$RUN_DIR/logs/$svc-$i.log" | sed 's/^/    /' >&2
      return 1
    fi
    last=$(ready_check "$svc" "$i") && return 0
    if [ $SECONDS -ge $deadline ]; then
      log "$svc#$i (pid $pid) is not ready after $READY_SECONDS s (/ready: ${last:-no answer}); the end of its log $RUN_DIR/logs/$svc-$i.log:"
      tail -n 25 "$RUN_DIR/logs/$svc-$i.log" | sed 's/^/    /' >&2
      return 1
    fi
    sleep 0.5
  done
}

# start_services: every built service's instances (adopting a running copy rather than starting a
# second one), then waits until each is ready. Fills STACK_SUMMARY.
start_services() {
  local svc i ops http pid failed=0 stray
  STACK_SUMMARY=()
  mkdir -p "$RUN_DIR/services" "$RUN_DIR/logs"
  while read -r svc i ops http; do
    pid=$(pid_of "$svc" "$i")
    if instance_alive "$svc" "$pid"; then
      STACK_SUMMARY+=("$svc#$i already running, pid $pid")
    elif stray=$(stray_pids "$svc-$i" | head -n1) && [ -n "$stray" ]; then
      echo "$stray" >"$RUN_DIR/services/$svc-$i.pid"; echo "$ops $http" >"$RUN_DIR/services/$svc-$i.ports"
      STACK_SUMMARY+=("$svc#$i already running, pid $stray (adopted)")
    else
      start_instance "$svc" "$i" "$ops" "$http"
      STACK_SUMMARY+=("$svc#$i pid $(pid_of "$svc" "$i"), log ${RUN_DIR#"$STITCH_ROOT"/}/logs/$svc-$i.log")
    fi
    local api_host=$HTTP_HOST; [ -z "$(instance_netns "$svc" "$i")" ] || api_host=$(instance_address "$svc" "$i")
    if [ "$svc" = gateway ]; then
      STACK_SUMMARY[-1]+=", API http://$api_host:$http/api/v1, docs http://$api_host:$http/docs"
    fi
    STACK_SUMMARY[-1]+=", ops http://$(instance_address "$svc" "$i"):$ops/ready"
  done < <(instances)
  while read -r svc i _; do
    wait_ready "$svc" "$i" || failed=1
  done < <(instances)
  return $failed
}

# stop_pids DEADLINE_SECONDS PID…: SIGTERM to each, waits until all have exited, SIGKILL to what is
# left at the deadline. Prints the pids that had to be killed.
stop_pids() {
  local deadline=$((SECONDS + $1)) pid left; shift
  [ $# -gt 0 ] || return 0
  kill -TERM "$@" 2>/dev/null || true
  while :; do
    left=()
    for pid in "$@"; do [ -e "/proc/$pid" ] && ! grep -q '^State:.*Z' "/proc/$pid/status" 2>/dev/null && left+=("$pid"); done
    [ ${#left[@]} -eq 0 ] && return 0
    [ $SECONDS -ge $deadline ] && break
    sleep 0.2
  done
  kill -KILL "${left[@]}" 2>/dev/null || true
  echo "${left[@]}"
}

# stop_services: every service of this stack (pid files and strays), TERM then KILL after
# STITCH_SHUTDOWN_SECONDS + 10 s.
stop_services() {
  local pidfile pid name pids=() names=() killed n
  for pidfile in "$RUN_DIR"/services/*.pid; do
    [ -f "$pidfile" ] || continue
    name=$(basename "$pidfile" .pid); pid=$(cat "$pidfile")
    instance_alive "${name%-*}" "$pid" && { pids+=("$pid"); names+=("$name"); }
    rm -f "$pidfile" "${pidfile%.pid}.ports"
  done
  for pid in $(stray_pids); do
    [[ " ${pids[*]} " == *" $pid "* ]] || { pids+=("$pid"); names+=("stray pid $pid"); }
  done
  [ ${#pids[@]} -gt 0 ] || return 0
  log "stopping ${names[*]} (SIGTERM; SIGKILL after $((SHUTDOWN_SECONDS + 10)) s)"
  killed=$(stop_pids $((SHUTDOWN_SECONDS + 10)) "${pids[@]}")
  [ -z "$killed" ] || log "did not stop within $((SHUTDOWN_SECONDS + 10)) s and were killed: pids $killed"
}

# provision: secrets, broker (in the background: set BROKER_JOB), PostgreSQL and its roles.
stack_infra_start() {
  ensure_secrets "$SECRETS"
  broker_start "${BROKER[@]}" "$STACK_BROKER_PLUGINS" stitch "$(secret "$SECRETS" STITCH_AMQP_PASSWORD)" stitch &
  BROKER_JOB=$!
  pg_start "$PG_HOME" "$PG_PORT" scram-sha-256 "$STACK_PG_FAST"
  pg_provision "$PG_HOME" "$PG_PORT" stitch "$SECRETS"
}

stack_infra_await() {
  wait "$BROKER_JOB" || die "RabbitMQ did not start; see $RUN_DIR/rabbit/log"
  broker_service_users "${BROKER[@]}" stitch "$SECRETS"
}

stack_stop() {
  stop_services
  broker_stop "${BROKER[@]}"
  pg_stop "$PG_HOME"
}

# stack_status: the broker, the database, each instance's process and its /ready; 1 if anything is down.
stack_status() {
  local down=0 pidfile name svc i pid why
  if broker_running "${BROKER[@]}"; then echo "RabbitMQ    running on 127.0.0.1:$AMQP_PORT"; else echo "RabbitMQ    stopped"; down=1; fi
  if pg_running "$PG_HOME"; then echo "PostgreSQL  running on 127.0.0.1:$PG_PORT"; else echo "PostgreSQL  stopped"; down=1; fi
  local any=0
  for pidfile in "$RUN_DIR"/services/*.pid; do
    [ -f "$pidfile" ] || continue
    any=1; name=$(basename "$pidfile" .pid); svc=${name%-*}; i=${name##*-}; pid=$(cat "$pidfile")
    if ! instance_alive "$svc" "$pid"; then
      printf '%-14s stopped (pid %s is gone; log %s)\n' "$svc#$i" "$pid" "$RUN_DIR/logs/$name.log"; down=1
    elif why=$(ready_check "$svc" "$i"); then
      printf '%-14s running (pid %s), ready\n' "$svc#$i" "$pid"
    else
      printf '%-14s running (pid %s), NOT ready: %s\n' "$svc#$i" "$pid" "${why:-/ready does not answer}"; down=1
    fi
  done
  [ $any = 1 ] || { echo "Services    none started"; down=1; }
  local strays; strays=$(stray_pids | tr '\n' ' ')
  for pid in $strays; do
    grep -qxF "$pid" "$RUN_DIR"/services/*.pid 2>/dev/null || { echo "stray copy  pid $pid (no pid file; ./scripts/run stop ends it)"; down=1; }
  done
  return $down
}

# api_login API USER PASSWORD: an access token (empty when sign-in fails).
api_login() {
  curl -sS --max-time 15 -X POST "$1/api/v1/auth/login" -H 'Content-Type: application/json' \
    -d "{\"username\":\"$2\",\"password\":\"$3\"}" 2>/dev/null | jq -r '.data.access_token // empty' 2>/dev/null || true
}

# api_article API TOKEN CODE [NAME]: makes sure BOMFinance knows the article (Production takes SPKs and
# orders only for articles BOMFinance knows); one that exists already is fine. Non-zero otherwise.
api_article() {
  local status
  status=$(curl -sS --max-time 15 -o /dev/null -w '%{http_code}' -X POST "$1/api/v1/master/articles" -H "Authorization: Bearer $2" \
    -H 'Content-Type: application/json' -d "{\"code\":\"$3\",\"name\":\"${4:-$3}\"}" 2>/dev/null || true)
  [ "$status" = 201 ] || [ "$status" = 409 ]
}

# A few demo SPKs through the API, as a planner would create them — only into an empty system.
# Bounded: it says what it waits for and gives up after READY_SECONDS.
seed_demo_spks() {
  local api=$1 token="" total="" deadline=$((SECONDS + READY_SECONDS)) answer
  log "demo data: signing in as ppic and asking Production how many SPKs it has (at most $READY_SECONDS s)"
  while [ $SECONDS -lt $deadline ]; do
    [ -n "$token" ] || token=$(api_login "$api" ppic ppic-dev-123)
    if [ -n "$token" ]; then
      answer=$(curl -sS --max-time 12 "$api/api/v1/production/spks?per_page=1" -H "Authorization: Bearer $token" 2>/dev/null || true)
      total=$(jq -r '.meta.total // empty' <<<"$answer" 2>/dev/null || true)
      [ -n "$total" ] && break
    fi
    sleep 1
  done
  if [ -z "$total" ]; then
    log "demo data skipped: ${token:+Production did not answer the SPK list}${token:-cannot sign in as ppic} within $READY_SECONDS s (last answer: ${answer:-none})"
    return 0
  fi
  [ "$total" = 0 ] || return 0
  day() { date -u -d "$1 days" +%F; }
  log "creating demo SPKs"
  local spec
  for spec in "BEAR-30CM CUTTING 500 -5 10" "BEAR-30CM SEWING 500 -2 14" "BUNNY-20CM EMBROIDERY 300 -1 7" \
              "BUNNY-20CM FINISHING 300 0 21" "DOLL-45CM PACKING 120 -10 -1"; do
    set -- $spec
    curl -fsS --max-time 15 -X POST "$api/api/v1/production/spks" -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
      -d "{\"article_code\":\"$1\",\"stage\":\"$2\",\"department\":\"$2\",\"original_qty\":$3,\"start_date\":\"$(day "$4")\",\"due_date\":\"$(day "$5")\",\"notes\":\"demo\"}" >/dev/null \
      || log "could not create demo SPK $1 $2"
  done
  # An order on its way: cutting and embroidery have started, so PPIC has health and WIP to show.
  local order cutter sewer
  order=$(curl -fsS --max-time 15 -X POST "$api/api/v1/production/orders" -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
    -d "{\"article_code\":\"KOALA-25CM\",\"qty\":200,\"start_date\":\"$(day -4)\",\"due_date\":\"$(day 10)\",\"notes\":\"demo\"}") \
    || { log "could not create the demo order"; return 0; }
  cutter=$(api_login "$api" staff_cutting staff-dev-123)
  sewer=$(api_login "$api" prod_manager prodmgr-dev-123)
  demo_input() {  # TOKEN SPK DAYS_AGO QTY [EXTRA_JSON]
    curl -fsS --max-time 15 -X POST "$api/api/v1/production/spk/$2/daily-input" -H "Authorization: Bearer $1" -H 'Content-Type: application/json' \
      -d "{\"date\":\"$(day "-$3")\",\"qty\":$4${5:-}}" >/dev/null || log "could not record demo input for $2"
  }
  demo_input "$cutter" "$(jq -r '.data.spks[0].code' <<<"$order")" 3 80 ',"shift":"DAY","operator_id":"staff_cutting"'
  demo_input "$cutter" "$(jq -r '.data.spks[0].code' <<<"$order")" 2 70 ',"shift":"NIGHT","operator_id":"staff_cutting"'
  demo_input "$sewer" "$(jq -r '.data.spks[1].code' <<<"$order")" 1 60
}

# Demo master data through the API, as the cost accountant and a planner would enter it: a few
# materials with costs, a bear and its embroidered panel, and an ACTIVE two-level BOM — only into
# an empty BOMFinance, and only when BOMFinance runs.
seed_demo_bom() {
  local api=$1 finance ppic answer total
  [ -x "$(service_binary bomfinance)" ] || return 0
  finance=$(api_login "$api" finance finance-dev-123)
  ppic=$(api_login "$api" ppic ppic-dev-123)
  [ -n "$finance" ] && [ -n "$ppic" ] || { log "demo BOMs skipped: cannot sign in as finance and ppic"; return 0; }
  answer=$(curl -sS --max-time 12 "$api/api/v1/master/materials?per_page=1" -H "Authorization: Bearer $ppic" 2>/dev/null || true)
  total=$(jq -r '.meta.total // empty' <<<"$answer" 2>/dev/null || true)
  [ "$total" = 0 ] || { [ -n "$total" ] || log "demo BOMs skipped: BOMFinance did not answer (${answer:-no answer})"; return 0; }
  log "creating demo materials, articles and BOMs"
  post() {  # TOKEN PATH JSON
    curl -fsS --max-time 15 -X POST "$api$2" -H "Authorization: Bearer $1" -H 'Content-Type: application/json' -d "$3" >/dev/null \
      || log "could not POST $2 $3"
  }
  local spec
  for spec in "FAB-PLUSH-BRN FABRIC M 42000" "FAB-FELT-WHT FABRIC M 18000" "FIL-DACRON FILLING KG 38000" \
              "THR-POLY-BLK THREAD CONE 21000" "ACC-EYE-12MM ACCESSORY PCS 650" "PKG-POLYBAG PACKAGING PCS 300"; do
    set -- $spec
    post "$finance" /api/v1/master/materials \
      "{\"code\":\"$1\",\"name\":\"$1\",\"category\":\"$2\",\"unit\":\"$3\",\"standard_cost\":$4,\"cost_effective_from\":\"2026-01-01\"}"
  done
  post "$ppic" /api/v1/master/articles '{"code":"PANEL-BEAR-EMB","name":"Embroidered bear face panel","route":["CUTTING","EMBROIDERY"],"labour_minutes":[{"stage":"CUTTING","minutes":0.5},{"stage":"EMBROIDERY","minutes":4}]}'
  post "$ppic" /api/v1/master/articles '{"code":"BEAR-30CM","name":"Bear 30 cm","customer":"Toy Co","labour_minutes":[{"stage":"CUTTING","minutes":3},{"stage":"SEWING","minutes":14},{"stage":"FINISHING","minutes":5},{"stage":"PACKING","minutes":1.5}]}'
  # The other articles the demo SPKs and order name (seed_demo_spks).
  post "$ppic" /api/v1/master/articles '{"code":"BUNNY-20CM","name":"Bunny 20 cm","customer":"Toy Co"}'
  post "$ppic" /api/v1/master/articles '{"code":"DOLL-45CM","name":"Doll 45 cm","customer":"Toy Co"}'
  post "$ppic" /api/v1/master/articles '{"code":"KOALA-25CM","name":"Koala 25 cm","customer":"Toy Co"}'
  post "$ppic" /api/v1/bom/create '{"article_code":"PANEL-BEAR-EMB","lines":[{"material_code":"FAB-FELT-WHT","qty_per_unit":0.02,"scrap_percent":5},{"material_code":"THR-POLY-BLK","qty_per_unit":0.005}],"notes":"demo"}'
  post "$ppic" /api/v1/bom/BOM-PANEL-BEAR-EMB-001/activate '{}'
  post "$ppic" /api/v1/bom/create '{"article_code":"BEAR-30CM","lines":[{"material_code":"FAB-PLUSH-BRN","qty_per_unit":0.35,"scrap_percent":8},{"article_code":"PANEL-BEAR-EMB","qty_per_unit":1},{"material_code":"FIL-DACRON","qty_per_unit":0.12},{"material_code":"ACC-EYE-12MM","qty_per_unit":2},{"material_code":"PKG-POLYBAG","qty_per_unit":1}],"notes":"demo"}'
  post "$ppic" /api/v1/bom/BOM-BEAR-30CM-001/activate '{}'
}

# stack_start: everything, as ./scripts/run starts it; non-zero when a service is not ready.
stack_start() {
  ensure_packages
  stack_infra_start
  log "building (release; the first build takes several minutes)"
  # Callers run this inside `if !`, where `set -e` does not stop at a failure: say it outright.
  swift build -c release || { log "the release build failed (above)"; return 1; }
  stack_infra_await || return 1
  start_services || return 1
  if [ "$STACK_DEMO_DATA" = yes ] && [ -x "$(service_binary gateway)" ]; then
    seed_demo_data "http://127.0.0.1:$HTTP_PORT"
  fi
}

# seed_demo_data API: master data and BOMs, the warehouse's locations and opening stock, SPKs and an
# order — each only into an empty system (repeatable).
seed_demo_data() {
  seed_demo_bom "$1"
  if [ -x "$(service_binary warehouse)" ]; then
    STITCH_INSTANCE="warehouse-seed" with_service_env warehouse "$(service_binary warehouse)" seed >/dev/null \
      || log "warehouse seed failed (./scripts/run ops warehouse seed tries again)"
  fi
  seed_demo_spks "$1"
}

# check_broker_permissions: proves that a service's broker user is confined to its own queues —
# it may declare `<svc>.…` but not another prefix, and may not read another service's queue — and
# that no service user has a tag (management, administrator). Prints each problem; 1 if any.
check_broker_permissions() {
  local url problems=() out
  amqp_url() { echo "amqp://stitch_$1:$(secret "$SECRETS" "STITCH_AMQP_PASSWORD_${1^^}")@127.0.0.1:$AMQP_PORT/stitch"; }
  refused() {  # WHAT COMMAND…: COMMAND must fail with ACCESS_REFUSED
    local what=$1; shift
    if out=$(timeout 20 "$@" 2>&1); then problems+=("$what was allowed")
    elif ! grep -q ACCESS_REFUSED <<<"$out"; then problems+=("$what: expected ACCESS_REFUSED, got: $(tr '\n' ' ' <<<"$out")"); fi
  }
  url=$(amqp_url production)
  out=$(timeout 20 amqp-declare-queue --url "$url" -q production.permission-probe 2>&1) \
    || problems+=("production cannot declare a queue of its own prefix: $(tr '\n' ' ' <<<"$out")")
  timeout 20 amqp-delete-queue --url "$url" -q production.permission-probe >/dev/null 2>&1 || true
  refused "production declaring ppic.not-yours" amqp-declare-queue --url "$url" -q ppic.not-yours
  refused "production declaring queue stitch.anything" amqp-declare-queue --url "$url" -q stitch.anything
  refused "production reading ppic.events.dead" amqp-get --url "$url" -q ppic.events.dead
  refused "gateway reading production.commands.dead" amqp-get --url "$(amqp_url gateway)" -q production.commands.dead
  refused "approval reading production.events.dead" amqp-get --url "$(amqp_url approval)" -q production.events.dead
  out=$( broker_env "${BROKER[@]}"; "$RABBIT_BIN/rabbitmqctl" -q list_users 2>&1 ) || problems+=("rabbitmqctl list_users failed: $out")
  if grep -E '^stitch_[a-z]+[[:space:]]+\[[^]]+\]' <<<"$out" >/dev/null; then
    problems+=("service users with tags: $(grep -E '^stitch_[a-z]+[[:space:]]+\[[^]]+\]' <<<"$out" | tr '\n' ' ')")
  fi
  [ ${#problems[@]} -eq 0 ] && return 0
  printf '%s\n' "${problems[@]}"
  return 1
}
