#!/usr/bin/env bash
# Headless Chromium (which always offers permessage-deflate) through wsgate over wss, with the route in
# `--deflate terminate` mode in front of the built-in echo (which does not compress): the browser must
# negotiate the extension with wsgate and get text, a large repetitive text and binary back byte-exact.
set -euo pipefail
cd "$(dirname "$0")/../.."
wsgate=${WSGATE_BINARY:-.build/debug/wsgate}
command -v chromium >/dev/null 2>&1 || { echo "SKIPPED: chromium is not installed (Tests/browser/run.sh installs it)"; exit 0; }
work=$(mktemp -d)
pids=()
cleanup() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; rm -rf "$work"; }
trap cleanup EXIT
certs/generate.sh "$work/certs" >/dev/null
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
echo_port=$(free_port)
proxy_port=$(free_port)
admin_port=$(free_port)
"$wsgate" echo --listen "127.0.0.1:$echo_port" --workers 1 >"$work/echo.log" 2>&1 & pids+=($!)
"$wsgate" proxy --from "127.0.0.1:$proxy_port" --to "ws://127.0.0.1:$echo_port/" --workers 1 --deflate terminate \
    --admin "127.0.0.1:$admin_port" \
    --max-message-size 0 --tls-cert "$work/certs/server-chain.pem" --tls-key "$work/certs/server.key" \
    >"$work/proxy.log" 2>&1 & pids+=($!)
for _ in $(seq 100); do (exec 3<>"/dev/tcp/127.0.0.1/$proxy_port") 2>/dev/null && break; sleep 0.05; done
cat >"$work/page.html" <<HTML
<!doctype html><html><body><pre id="out">pending</pre><script>
const out = document.getElementById("out");
// Headless Chromium's virtual time runs ahead of a WebSocket's real I/O; a fetch in flight holds it back.
let done = false;
(async () => { while (!done) { await fetch("http://127.0.0.1:$admin_port/healthz", {mode: "no-cors"}).catch(() => {}); } })();
const big = "compress me ".repeat(10000) + "end";
const bytes = new Uint8Array([0, 1, 2, 127, 128, 250, 255]);
const ws = new WebSocket("wss://localhost:$proxy_port/");
ws.binaryType = "arraybuffer";
let step = 0;
const fail = (what) => { out.textContent = "FAIL " + what; done = true; ws.close(); };
ws.onopen = () => ws.send("hello");
ws.onmessage = (event) => {
  if (step === 0) { if (event.data !== "hello") return fail("text"); step = 1; ws.send(big); }
  else if (step === 1) { if (event.data !== big) return fail("large text"); step = 2; ws.send(bytes.buffer); }
  else if (step === 2) {
    const got = new Uint8Array(event.data);
    if (got.length !== bytes.length || got.some((b, i) => b !== bytes[i])) return fail("binary");
    out.textContent = "PASS extensions=" + ws.extensions;
    done = true;
    ws.close(1000, "done");
  }
};
ws.onerror = () => fail("error");
</script></body></html>
HTML
budget=600000
for _ in 1 2 3 4; do
    chromium --headless --no-sandbox --disable-gpu --ignore-certificate-errors --virtual-time-budget=$budget \
        --dump-dom "file://$work/page.html" >"$work/dom.html" 2>/dev/null || true
    grep -q 'PASS\|FAIL' "$work/dom.html" && break
    budget=$((budget * 2))
done
result=$(grep -o 'PASS[^<]*\|FAIL[^<]*\|pending' "$work/dom.html" | head -n 1)
echo "chromium over wss with permessage-deflate: ${result:-no result}"
if [[ $result == "PASS extensions=permessage-deflate"* ]] && grep -q '"event":"access"' "$work/proxy.log"; then
    echo "1 passed, 0 failed"
else
    echo "proxy log:"; cat "$work/proxy.log"
    echo "0 passed, 1 failed"
    exit 1
fi
