#!/usr/bin/env bash
# Browser test of the admin status page: starts wsgate with the admin listener and live WebSocket traffic,
# loads the page in headless Chromium after its first polls, checks the rendered DOM names the route, its
# upstream and the live connection count, and takes screenshots (phone and desktop) into artifacts/.
# Installs the Debian `chromium` package when missing; skips (exit 0, with a message) only if it cannot.
# Usage: Tests/browser/run.sh   (WSGATE_BINARY overrides .build/debug/wsgate)
set -euo pipefail
cd "$(dirname "$0")/../.."

if ! command -v chromium >/dev/null 2>&1; then
    echo "chromium is missing; installing the Debian package"
    if ! { [[ $(id -u) == 0 ]] && apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; } \
        || ! command -v chromium >/dev/null 2>&1; then
        echo "SKIPPED: the status page browser test needs chromium, which could not be installed"
        exit 0
    fi
fi

binary=${WSGATE_BINARY:-.build/debug/wsgate}
[[ -x $binary ]] || swift build --product wsgate
work=$(mktemp -d)
mkdir -p artifacts
pids=()
cleanup() {
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    wait 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
port=$(free_port)
echo_port=$(free_port)
admin_port=$(free_port)
connections=4
cat >"$work/gateway.json" <<JSON
{
  "workers": 2,
  "listeners": [{ "name": "public", "address": "127.0.0.1:$port" }],
  "routes": [{ "name": "chat-echo", "path_prefix": "/chat", "upstream": "ws://127.0.0.1:$echo_port/" }],
  "builtin_echo": "127.0.0.1:$echo_port",
  "admin": { "address": "127.0.0.1:$admin_port" }
}
JSON

"$binary" run --config "$work/gateway.json" >"$work/wsgate.log" 2>&1 &
pids+=($!)
for _ in $(seq 100); do
    curl -sf "http://127.0.0.1:$admin_port/readyz" >/dev/null && break
    sleep 0.1
done
curl -sf "http://127.0.0.1:$admin_port/readyz" >/dev/null || { cat "$work/wsgate.log"; echo "wsgate did not become ready"; exit 1; }

python3 Tests/browser/traffic.py "$port" /chat "$connections" 120 >"$work/traffic.log" 2>&1 &
pids+=($!)
relayed() { curl -sf "http://127.0.0.1:$admin_port/status" | python3 -c 'import json, sys; print(json.load(sys.stdin)["totals"]["relayed_connections"])'; }
for _ in $(seq 100); do
    [[ $(relayed) == "$connections" ]] && break
    sleep 0.1
done
[[ $(relayed) == "$connections" ]] || { cat "$work/traffic.log"; echo "expected $connections relayed connections"; exit 1; }

url="http://127.0.0.1:$admin_port/"
# Virtual time runs the page's 2 s poll timer at once; it stands still only while a poll is in flight, so a
# large budget makes hundreds of polls, spanning the second of real time the page's rate window needs. How
# much real time a budget buys depends on the machine: it doubles until the page shows a rate.
budget=600000
chrome() { chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --virtual-time-budget=$budget "$@" "$url" 2>/dev/null; }
for _ in 1 2 3; do
    chrome --dump-dom >"$work/dom.html"
    grep -qE 'id="rate-c2u">[1-9]' "$work/dom.html" && break
    budget=$((budget * 2))
done

failures=0
expect() {
    if grep -qF -- "$1" "$work/dom.html"; then
        echo "ok: page shows $2"
    else
        echo "FAILED: page does not show $2 ($1)"
        failures=$((failures + 1))
    fi
}
expect 'data-route="chat-echo"' "the route"
expect "data-upstream=\"ws://127.0.0.1:$echo_port/\"" "the upstream"
expect "data-connections=\"$connections\"" "the route's connection count"
expect "id=\"total-connections\">$connections<" "the total connection count"
expect 'data-listener="public"' "the listener"
expect '>reachable<' "the upstream's health"
expect '>ready<' "readiness"
if grep -qE 'id="rate-c2u">[1-9]' "$work/dom.html"; then
    echo "ok: page shows a message rate from successive polls"
else
    echo "FAILED: no message rate on the page"
    failures=$((failures + 1))
fi

chrome --screenshot="$PWD/artifacts/status-page.png" --window-size=390,1400
chrome --screenshot="$PWD/artifacts/status-page-desktop.png" --window-size=1280,900
for shot in artifacts/status-page.png artifacts/status-page-desktop.png; do
    if [[ -s $shot ]]; then echo "ok: screenshot $shot"; else echo "FAILED: no screenshot $shot"; failures=$((failures + 1)); fi
done

if ((failures)); then
    echo "--- DOM ---"
    cat "$work/dom.html"
    echo "browser test: $failures failed"
    exit 1
fi
echo "browser test: all checks passed"
