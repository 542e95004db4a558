#!/usr/bin/env bash
# Proof under load: run the test suite several times in a row while this script keeps every
# core busy with a Python busy loop of its own (started here, stopped on exit however the
# script ends), and print each run's pass/fail counts and wall time.
#
#   bash scripts/stress_tests.sh [--runs N] [--no-load] [-- PYTEST_ARGS...]
#
# --runs N     runs of the suite (default 3)
# --no-load    no busy loops (the same runs on a quiet machine, for comparison)
# PYTEST_ARGS  passed to pytest (default: none, i.e. the README's whole suite)
#
# Each run's output is in .home/stress/run-K.log. Exit status: 0 when every run passed.
set -euo pipefail
cd "$(dirname "$0")/.."

runs=3
load=1
pytest_args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --runs) runs="$2"; shift 2 ;;
    --runs=*) runs="${1#--runs=}"; shift ;;
    --no-load) load=0; shift ;;
    --) shift; pytest_args=("$@"); break ;;
    *) echo "stress_tests.sh: unknown option '$1' (see the top of this script)" >&2; exit 2 ;;
  esac
done
case "$runs" in
  ''|*[!0-9]*|0) echo "stress_tests.sh: --runs needs a positive whole number" >&2; exit 2 ;;
esac

bash scripts/setup.sh --test
PY=.venv/bin/python
logs=.home/stress
mkdir -p "$logs"

busy_pids=()
suite_pid=""
# Stop what this script started, by PID: the running suite (if any) and the busy loops.
stop_all() {
  local pid
  for pid in $suite_pid "${busy_pids[@]}"; do
    kill "$pid" 2>/dev/null || true
  done
  for pid in $suite_pid "${busy_pids[@]}"; do
    wait "$pid" 2>/dev/null || true
  done
  suite_pid=""
  busy_pids=()
}
trap stop_all EXIT
trap 'exit 130' INT TERM

cores=$(nproc)
if [ "$load" = 1 ]; then
  for _ in $(seq "$cores"); do
    "$PY" -c 'while True: pass' &
    busy_pids+=("$!")
  done
  echo "Background load: $cores busy loop(s), PIDs ${busy_pids[*]}"
else
  echo "Background load: none (--no-load)"
fi

summary=()
failed_runs=0
for k in $(seq "$runs"); do
  log="$logs/run-$k.log"
  echo "Run $k/$runs: $PY -m pytest ${pytest_args[*]:-} (log: $log)"
  start=$(date +%s)
  # in the background and waited for, so that a signal to this script is handled at once
  "$PY" -m pytest "${pytest_args[@]}" >"$log" 2>&1 &
  suite_pid=$!
  set +e
  wait "$suite_pid"
  status=$?
  set -e
  suite_pid=""
  seconds=$(( $(date +%s) - start ))
  # the counts from pytest's closing line, e.g. "570 passed, 1 failed, 2 errors in 401.2s"
  last=$(grep -E '[0-9]+ (passed|failed|errors?|skipped)' "$log" | tail -n 1 || true)
  count() { echo "$last" | grep -Eo "[0-9]+ $1" | grep -Eo '^[0-9]+' || echo 0; }
  passed=$(count passed); failed=$(count failed); errors=$(count 'errors?'); skipped=$(count skipped)
  [ "$status" = 0 ] || failed_runs=$((failed_runs + 1))
  line=$(printf 'run %d: exit %d, %s passed, %s failed, %s errors, %s skipped, wall %dm%02ds' \
    "$k" "$status" "$passed" "$failed" "$errors" "$skipped" $((seconds / 60)) $((seconds % 60)))
  echo "  $line"
  [ "$status" = 0 ] || grep -E '^(FAILED|ERROR) ' "$log" | sed 's/^/    /' | head -n 20 || true
  summary+=("$line")
done

echo
echo "Summary ($runs run(s), background load: $([ "$load" = 1 ] && echo "$cores busy loop(s)" \
  || echo none), load average now: $(cut -d' ' -f1-3 /proc/loadavg)):"
for line in "${summary[@]}"; do
  echo "  $line"
done
[ "$failed_runs" = 0 ]
