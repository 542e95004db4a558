#!/usr/bin/env bash
# Set up hmn_bygg on a fresh machine: a virtual environment in .venv with the package
# (editable) and its dependencies; with --test also the test extras and Debian's chromium
# for the browser tests. Safe to run again: it only adds what is missing.
# Prints only what a user needs; everything pip and apt say goes to .venv/setup.log, and its
# last lines are shown when a step fails.
set -euo pipefail
cd "$(dirname "$0")/.."

want_test=0
for arg in "$@"; do
  case "$arg" in
    --test) want_test=1 ;;
    *) echo "setup.sh: unknown option '$arg' (expected --test)" >&2; exit 2 ;;
  esac
done

PY=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  "$PY" -m venv .venv
fi
LOG=.venv/setup.log
: >"$LOG"

# Run one step with its output in the log; on failure show the log's end and stop.
step() {
  if ! "$@" >>"$LOG" 2>&1; then
    echo "setup.sh: failed: $*" >&2
    echo "--- last lines of $LOG ---" >&2
    tail -n 40 "$LOG" >&2
    exit 1
  fi
}

extras=""
[ "$want_test" = 1 ] && extras="[test]"
echo "Installing hmn_bygg${extras} and its dependencies into .venv (log: $LOG)"
step .venv/bin/python -m pip install --upgrade pip
step .venv/bin/python -m pip install -e ".${extras}"

# numba keys its on-disk cache of a compiled kernel by the kernel's own source file only: a
# kernel that inlines code of another module (the year loop inlines the ceiling search) would
# keep its old machine code after only that module changed (a git pull). When any source is
# newer than the last set-up, the caches go, and the kernels compile afresh on first use.
stamp=.venv/.kernel-sources
if [ ! -f "$stamp" ] || [ -n "$(find hmn_bygg -name '*.py' -newer "$stamp" -print -quit)" ]; then
  find hmn_bygg -name '*.nbi' -delete -o -name '*.nbc' -delete
  touch "$stamp"
fi

# Debian's chromium drives the dashboard in a real browser (tests, brief PDF, screenshots).
if [ ! -x /usr/bin/chromium ]; then
  if command -v apt-get >/dev/null 2>&1; then
    SUDO=""
    [ "$(id -u)" = 0 ] || SUDO="sudo"
    echo "Installing Debian's chromium (browser tests, board brief PDF)"
    step $SUDO apt-get update -qq
    step $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium \
      fonts-dejavu-core
  else
    echo "setup.sh: /usr/bin/chromium is missing and apt-get is not available;" \
         "install Chromium to run the browser tests and make the PDF brief." >&2
  fi
fi
echo "hmn_bygg is set up in .venv"
