#!/usr/bin/env bash
# Install what the query UIs need; quiet and idempotent (a second run does nothing).
#   bash web/setup.sh            npm packages of web/package-lock.json into web/node_modules
#   bash web/setup.sh --browser  also Debian's chromium, for tests/test_browser_ui.py
set -euo pipefail
cd "$(dirname "$0")/.."

# npm ci wipes and reinstalls node_modules: do it only when missing or older than the lock file.
if [ ! -d web/node_modules ] || [ web/package-lock.json -nt web/node_modules ]; then
    if ! command -v npm >/dev/null; then
        echo "web/setup.sh: npm not found; install Node.js with npm (Debian: apt-get install nodejs npm)," \
             "or skip this step: the endpoints work without it, only the /ui pages need these files" >&2
        exit 1
    fi
    npm ci --prefix web --no-audit --no-fund --loglevel=error >/dev/null
    touch web/node_modules  # npm ci may keep the directory's old mtime
fi

if [ "${1:-}" = "--browser" ] && [ ! -x /usr/bin/chromium ]; then
    sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq chromium >/dev/null
fi
