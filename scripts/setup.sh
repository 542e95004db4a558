#!/usr/bin/env bash
# Set up hmn_bygg on a fresh machine: a virtual environment in .venv with the package
# (editable) and its dependencies; with --test also the test extras and Debian's chromium
# for the browser tests. Safe to run again: it only adds what is missing.
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
.venv/bin/python -m pip install --quiet --upgrade pip
if [ "$want_test" = 1 ]; then
  .venv/bin/python -m pip install --quiet -e ".[test]"
else
  .venv/bin/python -m pip install --quiet -e .
fi

# Debian's chromium drives the dashboard in a real browser (tests, brief PDF, screenshots).
if [ ! -x /usr/bin/chromium ]; then
  if command -v apt-get >/dev/null 2>&1; then
    SUDO=""
    [ "$(id -u)" = 0 ] || SUDO="sudo"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium fonts-dejavu-core >/dev/null
  else
    echo "setup.sh: /usr/bin/chromium is missing and apt-get is not available;" \
         "install Chromium to run the browser tests and make the PDF brief." >&2
  fi
fi
echo "hmn_bygg is set up in .venv"
