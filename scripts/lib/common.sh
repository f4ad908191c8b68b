# Shared by scripts/run, scripts/test and scripts/bench: prerequisites, a private RabbitMQ node
# and a private PostgreSQL cluster, both plain background processes with their data under a folder
# of ours (no systemd, no Docker). Source it; it defines functions and sets nothing else.

STITCH_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
# The services, in start order, as Package.swift lists them.
mapfile -t STITCH_SERVICES < <("$STITCH_ROOT/scripts/lib/services")
RABBIT_BIN=/usr/lib/rabbitmq/bin
PG_BIN=/usr/lib/postgresql/15/bin

log() { printf '\033[1m[stitch]\033[0m %s\n' "$*" >&2; }
die() { printf '\033[31m[stitch] %s\033[0m\n' "$*" >&2; exit 1; }

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

# Installs what is missing; a no-op (no apt call at all) when everything is there.
ensure_packages() {
  local wanted=(rabbitmq-server librabbitmq-dev postgresql-15 postgresql-client-15 pkgconf libssl-dev
                ca-certificates openssl curl procps jq amqp-tools)
  local missing=() p
  for p in "${wanted[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' || missing+=("$p")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    log "installing ${missing[*]}"
    as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq
    # policy-rc.d may refuse to start the packages' own services; that is what we want.
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  fi
  command -v swift >/dev/null || die "swift is not on PATH (Swift 6.3 is expected to be installed)"
}

# Hex from exactly the bytes needed (a `tr </dev/urandom | head` pipe dies of SIGPIPE under pipefail).
random_secret() { od -An -tx1 -N"$(( (${1:-32} + 1) / 2 ))" /dev/urandom | tr -d ' \n' | cut -c1-"${1:-32}"; }

# ---------------------------------------------------------------------------------------------
# RabbitMQ: one private node per folder. Everything it needs comes from the environment.
# A node of a cluster in a network namespace (scripts/cluster) sets BROKER_NETNS (the namespace it
# runs in), BROKER_HOST (its host name, which every node resolves), BROKER_IP (its address) and
# BROKER_EXTRA_CONFIG (lines for rabbitmq.conf); by default a node is NAME@localhost on 127.0.0.1.
# broker_env DIR NAME PORT DIST_PORT MGMT_PORT  (run in a subshell: it exports)
broker_env() {
  local dir=$1
  export HOME="$dir/home"
  export RABBITMQ_NODENAME="$2@${BROKER_HOST:-localhost}"
  export RABBITMQ_NODE_IP_ADDRESS=${BROKER_IP:-127.0.0.1}
  export RABBITMQ_NODE_PORT=$3
  export RABBITMQ_DIST_PORT=$4
  export RABBITMQ_MNESIA_BASE="$dir/mnesia"
  export RABBITMQ_LOG_BASE="$dir/log"
  export RABBITMQ_PID_FILE="$dir/rabbitmq.pid"
  export RABBITMQ_ENABLED_PLUGINS_FILE="$dir/enabled_plugins"
  export RABBITMQ_CONFIG_FILE="$dir/rabbitmq.conf"
  export RABBITMQ_CONF_ENV_FILE="$dir/rabbitmq-env.conf"
  export ERL_EPMD_ADDRESS=${BROKER_IP:-127.0.0.1}   # epmd adds loopback by itself
}

# in_netns NS COMMAND…: COMMAND inside network namespace NS, or here when NS is empty.
in_netns() { local ns=$1; shift; if [ -n "$ns" ]; then ip netns exec "$ns" "$@"; else "$@"; fi; }
on_broker_host() { in_netns "${BROKER_NETNS:-}" "$@"; }

# broker_start DIR NAME PORT DIST_PORT MGMT_PORT WITH_PLUGINS(yes|no) USER PASSWORD VHOST
broker_start() (
  local dir=$1 name=$2 port=$3 dist=$4 mgmt=$5 plugins=$6 user=$7 pass=$8 vhost=$9
  mkdir -p "$dir/home" "$dir/log" "$dir/mnesia"
  broker_env "$dir" "$name" "$port" "$dist" "$mgmt"
  if [ ! -f "$HOME/.erlang.cookie" ]; then
    random_secret 40 >"$HOME/.erlang.cookie"; chmod 400 "$HOME/.erlang.cookie"
  fi
  : >"$RABBITMQ_CONF_ENV_FILE"
  if [ "$plugins" = yes ]; then
    echo '[rabbitmq_management,rabbitmq_prometheus].' >"$RABBITMQ_ENABLED_PLUGINS_FILE"
  else
    echo '[].' >"$RABBITMQ_ENABLED_PLUGINS_FILE"
  fi
  cat >"$RABBITMQ_CONFIG_FILE" <<EOF
listeners.tcp.default = $port
loopback_users = none
management.tcp.ip = 127.0.0.1
management.tcp.port = $mgmt
prometheus.tcp.ip = 127.0.0.1
prometheus.tcp.port = $((mgmt + 1000))
log.file.level = warning
${BROKER_EXTRA_CONFIG:-}
EOF
  if [ -n "${BROKER_TLS_PORT:-}" ]; then
    # An amqps:// listener for the TLS tests, with certificates made by make_test_certs. (librabbitmq
    # 0.11 verifies the host name against DNS names only, so clients use localhost, not 127.0.0.1.)
    cat >>"$RABBITMQ_CONFIG_FILE" <<EOF
listeners.ssl.default = $BROKER_TLS_PORT
ssl_options.cacertfile = $BROKER_TLS_DIR/ca.pem
ssl_options.certfile = $BROKER_TLS_DIR/server.pem
ssl_options.keyfile = $BROKER_TLS_DIR/server.key
ssl_options.verify = verify_none
ssl_options.fail_if_no_peer_cert = false
EOF
  fi
  if on_broker_host "$RABBIT_BIN/rabbitmqctl" -q status >/dev/null 2>&1; then
    log "RabbitMQ $name already runs on port $port"
  else
    log "starting RabbitMQ $RABBITMQ_NODENAME on $RABBITMQ_NODE_IP_ADDRESS:$port"
    on_broker_host nohup "$RABBIT_BIN/rabbitmq-server" >"$dir/log/stdout.log" 2>&1 &
    on_broker_host "$RABBIT_BIN/rabbitmqctl" -q wait --timeout 120 "$RABBITMQ_PID_FILE" >/dev/null \
      || die "RabbitMQ $name did not start; see $dir/log"
  fi
  # Idempotent provisioning: the vhost and the user the services log in as.
  on_broker_host "$RABBIT_BIN/rabbitmqctl" -q add_vhost "$vhost" >/dev/null 2>&1 || true
  on_broker_host "$RABBIT_BIN/rabbitmqctl" -q add_user "$user" "$pass" >/dev/null 2>&1 \
    || on_broker_host "$RABBIT_BIN/rabbitmqctl" -q change_password "$user" "$pass" >/dev/null
  on_broker_host "$RABBIT_BIN/rabbitmqctl" -q set_user_tags "$user" administrator >/dev/null
  on_broker_host "$RABBIT_BIN/rabbitmqctl" -q set_permissions -p "$vhost" "$user" '.*' '.*' '.*' >/dev/null
)

# broker_permissions SERVICE: configure, write and read regexes (one a line) of a service's broker
# user — least privilege, found by trying each operation against a real node:
#   configure  its own queues `<svc>.…` (declare) and the three shared exchanges (idempotent
#              redeclare needs configure on them);
#   write      its own queues (queue.bind needs write on the queue), the shared exchanges (publish
#              events, commands, dead letters) and `amq.default` (replies to direct reply-to);
#   read       its own queues (consume), the shared exchanges (queue.bind needs read on the exchange)
#              and `amq.rabbitmq.reply-to` (a requester consumes its replies there).
broker_permissions() {
  local svc=$1 shared='stitch\.(commands|events|dead)'
  printf '%s\n' "^(${svc}\\..*|${shared})\$" \
    "^(${svc}\\..*|${shared}|amq\\.default)\$" \
    "^(${svc}\\..*|${shared}|amq\\.rabbitmq\\.reply-to)\$"
}

# rabbit_password_hash PASSWORD: RabbitMQ's rabbit_password_hashing_sha256 form,
# base64(salt ‖ sha256(salt ‖ password)) with a 4-byte random salt.
rabbit_password_hash() {
  local file; file=$(mktemp)
  head -c 4 /dev/urandom >"$file"
  { cat "$file"; printf '%s' "$1"; } | openssl dgst -sha256 -binary >>"$file"
  base64 -w0 "$file"; rm -f "$file"
}

# broker_definitions VHOST SECRETS_FILE [ADMIN_PASSWORD]: RabbitMQ definitions (JSON) of one broker
# user per service, `stitch_<service>` (password STITCH_AMQP_PASSWORD_<SERVICE>), no tags, the
# permissions above, and with ADMIN_PASSWORD the administrator `stitch` too. compose/setup writes them
# for a deployment's nodes to load at boot.
broker_definitions() {
  local vhost=$1 secrets=$2 admin=${3:-} svc pass perms users="[]" grants="[]"
  for svc in "${STITCH_SERVICES[@]}"; do
    pass=$(secret "$secrets" "STITCH_AMQP_PASSWORD_${svc^^}")
    [ -n "$pass" ] || die "no STITCH_AMQP_PASSWORD_${svc^^} in $secrets"
    mapfile -t perms < <(broker_permissions "$svc")
    users=$(jq -c --arg n "stitch_$svc" --arg h "$(rabbit_password_hash "$pass")" \
      '. + [{name: $n, password_hash: $h, hashing_algorithm: "rabbit_password_hashing_sha256", tags: ""}]' <<<"$users")
    grants=$(jq -c --arg u "stitch_$svc" --arg v "$vhost" --arg c "${perms[0]}" --arg w "${perms[1]}" --arg r "${perms[2]}" \
      '. + [{user: $u, vhost: $v, configure: $c, write: $w, read: $r}]' <<<"$grants")
  done
  if [ -n "$admin" ]; then
    users=$(jq -c --arg h "$(rabbit_password_hash "$admin")" \
      '. + [{name: "stitch", password_hash: $h, hashing_algorithm: "rabbit_password_hashing_sha256", tags: "administrator"}]' <<<"$users")
    grants=$(jq -c --arg v "$vhost" '. + [{user: "stitch", vhost: $v, configure: ".*", write: ".*", read: ".*"}]' <<<"$grants")
  fi
  jq -n --argjson users "$users" --argjson permissions "$grants" --arg v "$vhost" \
    '{users: $users, vhosts: [{name: $v}], permissions: $permissions}'
}

# broker_service_users DIR NAME PORT DIST_PORT MGMT_PORT VHOST SECRETS_FILE: the services' broker
# users (broker_definitions) imported in one rabbitmqctl call (each call costs seconds). Safe to repeat.
broker_service_users() (
  broker_env "$1" "$2" "$3" "$4" "$5"
  local file="$1/service-users.json"
  ( umask 077; broker_definitions "$6" "$7" >"$file" )
  on_broker_host "$RABBIT_BIN/rabbitmqctl" -q import_definitions "$file" >/dev/null || die "could not create the services' broker users"
  rm -f "$file"
  # The package's default guest/guest administrator would let anyone on the machine in
  # (loopback_users = none).
  on_broker_host "$RABBIT_BIN/rabbitmqctl" -q delete_user guest >/dev/null 2>&1 || true
)

# broker_stop DIR NAME PORT DIST_PORT MGMT_PORT
broker_stop() (
  broker_env "$@"
  if on_broker_host "$RABBIT_BIN/rabbitmqctl" -q status >/dev/null 2>&1; then
    log "stopping RabbitMQ $RABBITMQ_NODENAME"
    on_broker_host "$RABBIT_BIN/rabbitmqctl" -q shutdown >/dev/null 2>&1 || true
  fi
)

broker_running() ( broker_env "$@"; on_broker_host "$RABBIT_BIN/rabbitmqctl" -q status >/dev/null 2>&1 )

# ---------------------------------------------------------------------------------------------
# PostgreSQL: initdb and pg_ctl refuse root, so they run as the postgres user on a folder it owns.
# PG_NETNS: the network namespace the cluster runs in (scripts/cluster), else none.
as_postgres() { if [ "$(id -u)" = 0 ]; then in_netns "${PG_NETNS:-}" su postgres -s /bin/sh -c "$*"; else in_netns "${PG_NETNS:-}" sh -c "$*"; fi; }

# The data folder must be reachable by the postgres user; a checkout under /root is not, so then
# the cluster lives under /var/lib/stitch instead (one folder per checkout and purpose).
pg_home() {
  local want=$1
  mkdir -p "$want"
  if [ "$(id -u)" = 0 ] && ! su postgres -s /bin/sh -c "test -x '$want'" 2>/dev/null; then
    chmod o+x "$want" 2>/dev/null || true
    if ! su postgres -s /bin/sh -c "test -x '$want'" 2>/dev/null; then
      want="/var/lib/stitch/$(printf '%s' "$want" | md5sum | cut -c1-12)"
      mkdir -p "$want"
    fi
  fi
  printf '%s' "$want"
}

# pg_start HOME PORT HOST_AUTH(trust|scram-sha-256) FAST(yes|no)
pg_start() {
  local home=$1 port=$2 auth=$3 fast=$4
  mkdir -p "$home/data" "$home/sock"
  [ "$(id -u)" = 0 ] && chown postgres:postgres "$home" "$home/data" "$home/sock"
  chmod 700 "$home/data"
  if [ ! -f "$home/data/PG_VERSION" ]; then
    log "creating PostgreSQL cluster in $home/data"
    as_postgres "$PG_BIN/initdb -D '$home/data' -U postgres --auth-local=trust --auth-host=$auth -E UTF8 --locale=C.UTF-8" >/dev/null
    {
      echo "max_connections = 400"
      echo "shared_buffers = 256MB"
      if [ "$fast" = yes ]; then
        # A throwaway test cluster: durability is not what is under test here.
        echo "fsync = off"; echo "synchronous_commit = off"; echo "full_page_writes = off"
      fi
      [ -z "${PG_EXTRA_CONFIG:-}" ] || echo "$PG_EXTRA_CONFIG"
    } | as_postgres "cat >> '$home/data/postgresql.conf'"
    # PG_HBA_EXTRA: more client rules, e.g. password logins from the cluster's own network.
    [ -z "${PG_HBA_EXTRA:-}" ] || echo "$PG_HBA_EXTRA" | as_postgres "cat >> '$home/data/pg_hba.conf'"
  fi
  if as_postgres "$PG_BIN/pg_ctl -D '$home/data' status" >/dev/null 2>&1; then
    log "PostgreSQL already runs on port $port"
  else
    log "starting PostgreSQL on ${PG_LISTEN:-127.0.0.1}:$port"
    as_postgres "$PG_BIN/pg_ctl -D '$home/data' -l '$home/postgres.log' -w -t 60 \
      -o \"-p $port -k $home/sock -c listen_addresses=${PG_LISTEN:-127.0.0.1}\" start" >/dev/null \
      || die "PostgreSQL did not start; see $home/postgres.log"
  fi
}

pg_stop() {
  local home=$1
  if [ -f "$home/data/PG_VERSION" ] && as_postgres "$PG_BIN/pg_ctl -D '$home/data' status" >/dev/null 2>&1; then
    log "stopping PostgreSQL"
    as_postgres "$PG_BIN/pg_ctl -D '$home/data' -m fast -w stop" >/dev/null || true
  fi
}

pg_running() { [ -f "$1/data/PG_VERSION" ] && as_postgres "$PG_BIN/pg_ctl -D '$1/data' status" >/dev/null 2>&1; }

# psql_admin HOME PORT DB  (SQL on stdin) — as the superuser over the private socket.
psql_admin() { PGOPTIONS='-c client_min_messages=warning' psql -X -q -v ON_ERROR_STOP=1 -h "$1/sock" -p "$2" -U postgres -d "$3"; }

# pg_provision HOME PORT DB SECRETS_FILE: the database, and one login role per service that owns
# its schema and can use nothing else (rule 1 of docs/architecture.md). Safe to repeat.
pg_provision() {
  local home=$1 port=$2 db=$3 secrets=$4
  echo "SELECT 'CREATE DATABASE $db' WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = '$db')\\gexec" \
    | psql_admin "$home" "$port" postgres
  pg_roles_sql "$db" "$secrets" | psql_admin "$home" "$port" "$db"
}

# pg_roles_sql DB SECRETS_FILE: the SQL of pg_provision's roles and schemas (compose/setup hands it to
# a deployment's PostgreSQL).
pg_roles_sql() {
  local db=$1 secrets=$2 svc var pass
  {
    echo "REVOKE ALL ON DATABASE $db FROM PUBLIC;"
    echo "REVOKE ALL ON SCHEMA public FROM PUBLIC;"
    for svc in "${STITCH_SERVICES[@]}"; do
      var="STITCH_DB_PASSWORD_${svc^^}"
      pass=$(grep "^$var=" "$secrets" | cut -d= -f2-)
      cat <<SQL
DO \$\$ BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'stitch_$svc') THEN
    CREATE ROLE stitch_$svc LOGIN;
  END IF;
END \$\$;
ALTER ROLE stitch_$svc WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD '$pass';
ALTER ROLE stitch_$svc SET search_path = $svc;
GRANT CONNECT, TEMPORARY ON DATABASE $db TO stitch_$svc;
CREATE SCHEMA IF NOT EXISTS $svc AUTHORIZATION stitch_$svc;
REVOKE ALL ON SCHEMA $svc FROM PUBLIC;
SQL
    done
  }
}

# ensure_secrets FILE: random passwords made once and kept (mode 600) so re-runs reuse them: the
# broker's admin user, one broker user and one database role per service, the JWT secret, and the
# Ed25519 key pair the gateway signs actors with (services get only the public key).
ensure_secrets() {
  local file=$1 svc var
  mkdir -p "$(dirname "$file")"; touch "$file"; chmod 600 "$file"
  for var in STITCH_AMQP_PASSWORD STITCH_JWT_SECRET \
             $(for svc in "${STITCH_SERVICES[@]}"; do echo "STITCH_DB_PASSWORD_${svc^^} STITCH_AMQP_PASSWORD_${svc^^}"; done); do
    grep -q "^$var=" "$file" || echo "$var=$(random_secret 40)" >>"$file"
  done
  if ! grep -q '^STITCH_ACTOR_SIGNING_KEY=' "$file" || ! grep -q '^STITCH_ACTOR_PUBLIC_KEY=' "$file"; then
    # base64 of the raw 32-byte Ed25519 private key (the last 32 bytes of its PKCS#8 DER) and of
    # the raw 32-byte public key (the last 32 bytes of its SubjectPublicKeyInfo DER).
    local der private public
    der=$(mktemp)
    openssl genpkey -algorithm ed25519 -outform DER -out "$der" 2>/dev/null || { rm -f "$der"; die "openssl cannot make an Ed25519 key"; }
    private=$(tail -c 32 "$der" | base64 -w0)
    public=$(openssl pkey -inform DER -in "$der" -pubout -outform DER 2>/dev/null | tail -c 32 | base64 -w0)
    rm -f "$der"
    [ ${#private} = 44 ] && [ ${#public} = 44 ] || die "could not make the actor signing key pair"
    sed -i '/^STITCH_ACTOR_SIGNING_KEY=/d; /^STITCH_ACTOR_PUBLIC_KEY=/d' "$file"
    printf 'STITCH_ACTOR_SIGNING_KEY=%s\nSTITCH_ACTOR_PUBLIC_KEY=%s\n' "$private" "$public" >>"$file"
  fi
}

secret() { grep "^$2=" "$1" | cut -d= -f2-; }

# ---------------------------------------------------------------------------------------------
# A throwaway broker (plus optionally a second one for fault tests) and database for tests and
# benchmarks: fresh data every time, trust auth. Exports STITCH_TEST_* for the code.
# start_ephemeral_infra DIR AMQP_PORT PG_PORT WITH_FAULT_NODE(yes|no) FAST_UNSAFE_PG(yes|no)
# (tests turn fsync off; benchmarks keep PostgreSQL durable). Stop with stop_ephemeral_infra.
start_ephemeral_infra() {
  local dir=$1 amqp=$2 pg=$3 fault=$4 fast=$5 user=stitch pass=stitch-test vhost=stitch
  EPHEMERAL_BROKERS=("$dir/rabbit stitch-$amqp $amqp $((amqp + 20000)) $((amqp + 10000))")
  [ "$fault" = yes ] && EPHEMERAL_BROKERS+=("$dir/rabbit-fault stitch-$((amqp + 1)) $((amqp + 1)) $((amqp + 20001)) $((amqp + 10001))")
  EPHEMERAL_PG=$(pg_home "$dir/pg")
  stop_ephemeral_infra
  rm -rf "$dir/rabbit" "$dir/rabbit-fault" "$dir/tls" "$EPHEMERAL_PG/data"
  local pids=() b
  make_test_certs "$dir/tls"
  # The main node also listens for amqps:// (port + 3) so TLS is tested against a real broker.
  # shellcheck disable=SC2086
  BROKER_TLS_PORT=$((amqp + 3)) BROKER_TLS_DIR="$dir/tls" broker_start ${EPHEMERAL_BROKERS[0]} no "$user" "$pass" "$vhost" &
  pids+=($!)
  for b in "${EPHEMERAL_BROKERS[@]:1}"; do
    # shellcheck disable=SC2086
    broker_start $b no "$user" "$pass" "$vhost" & pids+=($!)
  done
  pg_start "$EPHEMERAL_PG" "$pg" trust "$fast"
  echo "SELECT 'CREATE DATABASE stitch_test' WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = 'stitch_test')\\gexec" \
    | psql_admin "$EPHEMERAL_PG" "$pg" postgres
  EPHEMERAL_BROKER_PIDS=("${pids[@]}")
  export STITCH_TEST_AMQP_URL="amqp://$user:$pass@127.0.0.1:$amqp/$vhost"
  export STITCH_TEST_DATABASE_URL="postgres://postgres@127.0.0.1:$pg/stitch_test"
  export STITCH_TEST_AMQPS_URL="amqps://$user:$pass@localhost:$((amqp + 3))/$vhost?cacert=$dir/tls/ca.pem"
  if [ "$fault" = yes ]; then
    export STITCH_TEST_FAULT_AMQP_URL="amqp://$user:$pass@127.0.0.1:$((amqp + 1))/$vhost"
    export STITCH_TEST_FAULT_BROKER_CTL="$STITCH_ROOT/scripts/lib/broker-ctl %s ${EPHEMERAL_BROKERS[1]} $user $pass $vhost"
  fi
}

# make_test_certs DIR: a throwaway CA and a server certificate for 127.0.0.1/localhost.
make_test_certs() {
  local dir=$1
  mkdir -p "$dir"
  openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=Stitch test CA" \
    -keyout "$dir/ca.key" -out "$dir/ca.pem" 2>/dev/null
  openssl req -newkey rsa:2048 -nodes -subj "/CN=localhost" -keyout "$dir/server.key" -out "$dir/server.csr" 2>/dev/null
  printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\n' >"$dir/san.ext"
  openssl x509 -req -in "$dir/server.csr" -CA "$dir/ca.pem" -CAkey "$dir/ca.key" -CAcreateserial -days 2 \
    -extfile "$dir/san.ext" -out "$dir/server.pem" 2>/dev/null
  chmod 644 "$dir"/*.pem "$dir/server.key"
}

# Waits for the brokers start_ephemeral_infra launched in the background (so a build can overlap).
await_ephemeral_brokers() {
  local pid
  for pid in "${EPHEMERAL_BROKER_PIDS[@]}"; do wait "$pid" || die "a RabbitMQ node failed to start"; done
}

stop_ephemeral_infra() {
  local b
  for b in "${EPHEMERAL_BROKERS[@]}"; do
    # shellcheck disable=SC2086
    broker_stop $b || true
  done
  pg_stop "$EPHEMERAL_PG" || true
}
