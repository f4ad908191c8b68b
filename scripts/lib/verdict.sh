# The verdict of a fault run (scripts/chaos, scripts/cluster), sourced after stack.sh: what the
# retrying clients of scripts/lib/chaos_load.py had acknowledged is compared with what Production
# stored, PPIC's copy with Production's, and the dead-letter queues are read. Each check calls
# `fail REASON` (defined by the caller) and leaves its figures in globals for the summary line.

# sql ARGS…: psql as the superuser over the private socket, unaligned, tuples only.
sql() { PGOPTIONS='-c client_min_messages=warning' psql -X -q -v ON_ERROR_STOP=1 -h "$PG_HOME/sock" -p "$PG_PORT" -U postgres -d stitch -At "$@"; }

# verdict_entries LOAD_DIR RUN_ID: every acknowledged entry is stored exactly once, as acknowledged.
# Sets ACKED, LOST, DUPLICATED.
verdict_entries() {
  local dir=$1 run_id=$2 report="$1/report.json" unacked refused mismatched
  jq -r '.acked[] | @tsv' "$report" | sort >"$dir/acked.tsv"
  ACKED=$(wc -l <"$dir/acked.tsv")
  unacked=$(jq '.unacked | length' "$report")
  refused=$(jq '.refused | length' "$report")
  log "load: $ACKED acknowledged, $unacked never acknowledged, $refused refused, $(jq .attempts "$report") requests; errors seen: $(jq -c .errors "$report")"
  [ "$refused" = 0 ] || fail "$refused entries were refused (4xx) though the same entry is valid; first: $(jq -c '.refused[0]' "$report")"
  [ "$unacked" = 0 ] || fail "$unacked entries were never acknowledged within the drain time after the load's end (e.g. $(jq -r '.unacked[0]' "$report"))"
  [ "$ACKED" -gt 0 ] || fail "no entry was acknowledged at all"

  sql -F $'\t' -c "SELECT client_entry_id, count(*), sum(qty), sum(reject_qty) FROM production.daily_inputs
                   WHERE client_entry_id LIKE 'chaos-$run_id-%' GROUP BY 1 ORDER BY 1" >"$dir/stored.tsv" \
    || fail "cannot read production.daily_inputs"
  DUPLICATED=$(awk -F'\t' '$2 > 1' "$dir/stored.tsv" | wc -l)
  join -t $'\t' -v1 <(cut -f1 "$dir/acked.tsv" | LC_ALL=C sort) <(cut -f1 "$dir/stored.tsv" | LC_ALL=C sort) >"$dir/lost.tsv"
  LOST=$(wc -l <"$dir/lost.tsv")
  # The stored entry is the acknowledged one (same quantities).
  mismatched=$(join -t $'\t' <(awk -F'\t' '{print $1"\t"$3"\t"$4}' "$dir/acked.tsv" | LC_ALL=C sort) \
                             <(awk -F'\t' '{print $1"\t"$3"\t"$4}' "$dir/stored.tsv" | LC_ALL=C sort) \
               | awk -F'\t' '$2 != $4 || $3 != $5' | wc -l)
  [ "$LOST" = 0 ] || fail "$LOST acknowledged entries are not in production.daily_inputs (e.g. $(head -n1 "$dir/lost.tsv"))"
  [ "$DUPLICATED" = 0 ] || fail "$DUPLICATED entries are stored more than once"
  [ "$mismatched" = 0 ] || fail "$mismatched stored entries differ from what was acknowledged"
}

# verdict_converged SINCE LIMIT DIR: PPIC's per-SPK totals equal Production's within LIMIT seconds of
# SINCE (a $SECONDS value). Sets CONVERGED (seconds after SINCE, empty if never).
verdict_converged() {
  local since=$1 limit=$2 dir=$3 p q
  production_totals() {
    sql -c "SELECT s.id, s.produced_qty, s.reject_qty, coalesce(sum(d.qty), 0), coalesce(sum(d.reject_qty), 0), count(d.id)
            FROM production.spks s LEFT JOIN production.daily_inputs d ON d.spk_id = s.id GROUP BY s.id ORDER BY s.id" 2>/dev/null
  }
  ppic_totals() {
    sql -c "SELECT v.spk_id, v.produced_qty, v.reject_qty, coalesce(sum(e.qty), 0), coalesce(sum(e.reject_qty), 0), count(e.entry_id)
            FROM ppic.spk_view v LEFT JOIN ppic.spk_entries e ON e.spk_id = v.spk_id GROUP BY v.spk_id ORDER BY v.spk_id" 2>/dev/null
  }
  CONVERGED=""
  while :; do
    p=$(production_totals || echo "production unreadable"); q=$(ppic_totals || echo "ppic unreadable")
    if [ "$p" = "$q" ] && [ -n "$p" ]; then CONVERGED=$((SECONDS - since)); return 0; fi
    [ $((SECONDS - since)) -ge "$limit" ] && break
    sleep 1
  done
  diff <(echo "$p") <(echo "$q") >"$dir/totals.diff" || true
  fail "PPIC's totals differ from Production's $limit s after the last fault ($(grep -c '^<' "$dir/totals.diff") SPKs; production < / ppic >: $dir/totals.diff; outbox backlog: $(sql -c 'SELECT count(*) FROM production.outbox WHERE published_at IS NULL' 2>/dev/null || echo '?'))"
}

# verdict_dead_letters BROKER_ARGS…: no `.dead` queue holds a message (asked of that node). Sets DEAD
# (how many dead-letter queues were checked).
verdict_dead_letters() {
  local queues dead
  queues=$( broker_env "$@"; on_broker_host "$RABBIT_BIN/rabbitmqctl" -q list_queues -p stitch name messages 2>&1 ) \
    || { fail "cannot list the queues: $queues"; return; }
  dead=$(awk '$1 ~ /\.dead$/ && $2 > 0 {printf "%s holds %s; ", $1, $2}' <<<"$queues")
  [ -z "$dead" ] || fail "dead letters: $dead(see ./scripts/run ops SERVICE dead-letters)"
  DEAD=$(awk '$1 ~ /\.dead$/' <<<"$queues" | wc -l)
  log "dead-letter queues: $DEAD checked${dead:+, not all empty}"
}
