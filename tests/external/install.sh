#!/usr/bin/env bash
# Install the real SPARQL servers that tests/external_servers.py starts; quiet and idempotent (a second run
# does nothing). Run it with the project's Python environment active (as .ci/run does):
#   bash tests/external/install.sh
# - Virtuoso: Debian's virtuoso-opensource-7-bin (virtuoso-t and isql-vt only: no system service, no
#   debconf password prompt, no database in /var/lib), only when virtuoso-t is missing.
# - Oxigraph server: PyPI's `oxigraph` (a prebuilt binary in a wheel) into the active Python environment,
#   at the version of the installed pyoxigraph, only when that version is not already there.
set -euo pipefail

python=python
command -v "$python" >/dev/null || python=python3

sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"

if ! command -v virtuoso-t >/dev/null || ! command -v isql-vt >/dev/null; then
    if ! command -v apt-get >/dev/null; then
        echo "tests/external/install.sh: no apt-get; install Virtuoso Open Source 7 (virtuoso-t, isql-vt) by hand" >&2
        exit 1
    fi
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends \
        virtuoso-opensource-7-bin >/dev/null
fi

# The server's version follows pyoxigraph's (same engine); without pyoxigraph, the project's range.
want=$("$python" -c 'import importlib.metadata as m; print(m.version("pyoxigraph"))' 2>/dev/null || true)
have=$("$python" -c 'import importlib.metadata as m; print(m.version("oxigraph"))' 2>/dev/null || true)
if [ -z "$want" ] && [ -z "$have" ]; then
    "$python" -m pip install -q "oxigraph>=0.5,<0.6"
elif [ -n "$want" ] && [ "$have" != "$want" ]; then
    "$python" -m pip install -q "oxigraph==$want"
fi
