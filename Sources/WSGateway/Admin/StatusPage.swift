/// The live status page served at `/`: one self-contained HTML document (no external assets) that
/// polls `status` every 2 seconds and computes rates from successive answers.
enum StatusPage {
    /// Only the page's own inline style and script, and requests back to the admin listener.
    static let contentSecurityPolicy =
        "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; connect-src 'self'; img-src data:"

    static let html = #"""
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>wsgate status</title>
        <style>
        :root {
          --bg: #f5f6f8; --panel: #ffffff; --text: #1c2330; --muted: #5f6b7a; --line: #e2e6ec;
          --accent: #2f6fde; --ok: #1f9d55; --bad: #d64545; --unknown: #8a94a3;
        }
        @media (prefers-color-scheme: dark) {
          :root { --bg: #12161c; --panel: #1b2129; --text: #e6e9ee; --muted: #9aa5b4; --line: #2b333e;
                  --accent: #6ea0ff; --ok: #3cc57a; --bad: #ff6b6b; --unknown: #7d8794; }
        }
        * { box-sizing: border-box; }
        body { margin: 0; background: var(--bg); color: var(--text);
               font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
        header { display: flex; flex-wrap: wrap; align-items: center; gap: 8px 16px; padding: 14px 20px;
                 background: var(--panel); border-bottom: 1px solid var(--line); }
        header h1 { margin: 0; font-size: 20px; letter-spacing: .02em; }
        header .meta { color: var(--muted); font-size: 13px; }
        header .spacer { flex: 1; }
        main { max-width: 1200px; margin: 0 auto; padding: 16px; }
        .badge { display: inline-block; padding: 2px 10px; border-radius: 999px; font-size: 12px; font-weight: 600;
                 color: #fff; background: var(--unknown); white-space: nowrap; }
        .badge.ok { background: var(--ok); } .badge.bad { background: var(--bad); }
        .tiles { display: grid; grid-template-columns: repeat(auto-fit, minmax(160px, 1fr)); gap: 12px; margin-bottom: 20px; }
        .tile { background: var(--panel); border: 1px solid var(--line); border-radius: 10px; padding: 12px 14px; }
        .tile .label { color: var(--muted); font-size: 12px; text-transform: uppercase; letter-spacing: .05em; }
        .tile .value { font-size: 24px; font-weight: 650; font-variant-numeric: tabular-nums; margin-top: 2px; }
        .tile .sub { color: var(--muted); font-size: 12px; font-variant-numeric: tabular-nums; }
        section { background: var(--panel); border: 1px solid var(--line); border-radius: 10px; margin-bottom: 20px;
                  overflow: hidden; }
        section h2 { margin: 0; padding: 12px 14px; font-size: 15px; border-bottom: 1px solid var(--line); }
        table { width: 100%; border-collapse: collapse; }
        th, td { text-align: left; padding: 9px 14px; border-bottom: 1px solid var(--line); vertical-align: top; }
        th { color: var(--muted); font-size: 12px; font-weight: 600; text-transform: uppercase; letter-spacing: .04em; }
        tr:last-child td { border-bottom: none; }
        td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
        code { font: 13px ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; overflow-wrap: anywhere; }
        .error { display: none; margin-bottom: 16px; padding: 10px 14px; border-radius: 10px; color: #fff; background: var(--bad); }
        .empty { padding: 12px 14px; color: var(--muted); }
        @media (max-width: 640px) {
          header { padding: 12px 14px; }
          main { padding: 12px; }
          .tiles { grid-template-columns: repeat(2, 1fr); gap: 8px; }
          .tile .value { font-size: 20px; }
          table, thead, tbody, tr, td { display: block; width: 100%; }
          thead { display: none; }
          tr { padding: 8px 0; border-bottom: 1px solid var(--line); }
          tr:last-child { border-bottom: none; }
          td { display: flex; justify-content: space-between; gap: 12px; padding: 4px 14px; border: none; text-align: right; }
          td.num { text-align: right; }
          td::before { content: attr(data-label); color: var(--muted); font-size: 12px; text-transform: uppercase;
                       letter-spacing: .04em; text-align: left; flex: none; }
        }
        </style>
        </head>
        <body>
        <header>
          <h1>wsgate</h1>
          <span id="ready" class="badge">loading</span>
          <span class="meta" id="version"></span>
          <span class="spacer"></span>
          <span class="meta" id="updated">waiting for the first answer…</span>
        </header>
        <main>
          <div class="error" id="error"></div>
          <div class="tiles">
            <div class="tile"><div class="label">Connections</div><div class="value" id="total-connections">–</div>
              <div class="sub" id="all-connections"></div></div>
            <div class="tile"><div class="label">Messages/s client → upstream</div><div class="value" id="rate-c2u">–</div>
              <div class="sub" id="total-c2u"></div></div>
            <div class="tile"><div class="label">Messages/s upstream → client</div><div class="value" id="rate-u2c">–</div>
              <div class="sub" id="total-u2c"></div></div>
            <div class="tile"><div class="label">Throughput in / out</div><div class="value" id="rate-bytes">–</div>
              <div class="sub" id="total-bytes"></div></div>
            <div class="tile"><div class="label">Handshakes</div><div class="value" id="upgraded">–</div>
              <div class="sub" id="refused"></div></div>
            <div class="tile"><div class="label">Process</div><div class="value" id="memory">–</div>
              <div class="sub" id="uptime"></div></div>
          </div>
          <section><h2>Routes and upstreams</h2>
            <table><thead><tr><th>Route</th><th>Match</th><th>Upstream</th><th>Health</th>
              <th class="num">Connections</th><th class="num">New/s</th><th class="num">Total</th></tr></thead>
              <tbody id="routes"></tbody></table></section>
          <section><h2>Listeners</h2>
            <table><thead><tr><th>Listener</th><th>Address</th><th>Protocol</th><th class="num">Connections</th></tr></thead>
              <tbody id="listeners"></tbody></table></section>
          <section><h2>Event loops</h2>
            <table><thead><tr><th>Loop</th><th>State</th><th class="num">Connections</th><th class="num">Wake-ups/s</th>
              <th class="num">Events/s</th><th class="num">Buffers</th></tr></thead>
              <tbody id="loops"></tbody></table></section>
        </main>
        <script>
        "use strict";
        const POLL_MS = 2000;
        // Rates are measured between two answers at least this far apart (gateway uptime, real seconds),
        // so a burst of quick polls (a tab waking up) does not give noisy figures.
        const MIN_WINDOW_SECONDS = 1;
        let windowStart = null;
        let rateWindow = null;

        function $(id) { return document.getElementById(id); }
        function cell(label, content, className) {
          const td = document.createElement("td");
          td.dataset.label = label;
          if (className) td.className = className;
          if (content instanceof Node) td.appendChild(content); else td.textContent = content;
          return td;
        }
        function badge(text, kind) {
          const span = document.createElement("span");
          span.className = "badge " + kind;
          span.textContent = text;
          return span;
        }
        function code(text) { const c = document.createElement("code"); c.textContent = text; return c; }
        function fill(tbody, rows, columns) {
          tbody.replaceChildren(...rows);
          if (rows.length === 0) {
            const tr = document.createElement("tr");
            const td = document.createElement("td");
            td.colSpan = columns; td.className = "empty"; td.textContent = "none";
            tr.appendChild(td); tbody.appendChild(tr);
          }
        }
        function count(n) { return Number(n).toLocaleString("en-US"); }
        function rate(n) { return n >= 100 ? count(Math.round(n)) : n.toFixed(1); }
        function bytes(n) {
          const units = ["B", "KiB", "MiB", "GiB", "TiB"];
          let i = 0;
          while (n >= 1024 && i < units.length - 1) { n /= 1024; i++; }
          return (i === 0 ? Math.round(n) : n.toFixed(1)) + " " + units[i];
        }
        function duration(s) {
          const d = Math.floor(s / 86400), h = Math.floor(s % 86400 / 3600), m = Math.floor(s % 3600 / 60);
          if (d > 0) return d + "d " + h + "h"; if (h > 0) return h + "h " + m + "m";
          return m + "m " + Math.floor(s % 60) + "s";
        }
        // Per-second change of a counter over the last rate window; null until a window is complete.
        function perSecond(now, before, pick, seconds) {
          if (!now || !before || seconds <= 0) return null;
          const delta = pick(now) - pick(before);
          return delta >= 0 ? delta / seconds : null;
        }

        function render(s, w) {
          const before = w ? w.from : null, after = w ? w.to : null, seconds = w ? w.seconds : 0;
          const t = s.totals;
          $("ready").textContent = s.ready ? "ready" : "shutting down";
          $("ready").className = "badge " + (s.ready ? "ok" : "bad");
          $("version").textContent = "v" + s.version + " · " + s.workers + " loops";
          $("total-connections").textContent = count(t.relayed_connections);
          $("all-connections").textContent = count(t.connections) + " incl. handshakes";
          const c2u = "client_to_upstream", u2c = "upstream_to_client";
          const mc = perSecond(after, before, x => x.totals.messages[c2u], seconds);
          const mu = perSecond(after, before, x => x.totals.messages[u2c], seconds);
          const bc = perSecond(after, before, x => x.totals.bytes[c2u], seconds);
          const bu = perSecond(after, before, x => x.totals.bytes[u2c], seconds);
          $("rate-c2u").textContent = mc === null ? "–" : rate(mc);
          $("rate-u2c").textContent = mu === null ? "–" : rate(mu);
          $("rate-bytes").textContent = bc === null ? "–" : bytes(bc) + "/s";
          $("total-c2u").textContent = count(t.messages[c2u]) + " total";
          $("total-u2c").textContent = count(t.messages[u2c]) + " total";
          $("total-bytes").textContent = bu === null ? bytes(t.bytes[c2u]) + " in · " + bytes(t.bytes[u2c]) + " out"
                                                     : "out " + bytes(bu) + "/s";
          $("upgraded").textContent = count(t.upgraded);
          $("refused").textContent = count(t.rejected) + " rejected · " + count(t.upstream_failures) + " upstream failures";
          $("memory").textContent = t.resident_memory_bytes === null ? "–" : bytes(t.resident_memory_bytes);
          $("uptime").textContent = "up " + duration(s.uptime_seconds) + (t.open_fds === null ? "" : " · " + count(t.open_fds) + " fds");

          const oldRoutes = new Map((before ? before.routes : []).map(r => [r.name, r]));
          const newRoutes = new Map((after ? after.routes : []).map(r => [r.name, r]));
          // A pool shows its first member, how many more, and how many take connections.
          const poolText = r => {
            const members = r.upstreams || [];
            if (members.length < 2) return r.upstream;
            const up = members.filter(m => m.state === "up").length;
            return r.upstream + " +" + (members.length - 1) + " (" + up + "/" + members.length + " up, " + r.balance + ")";
          };
          fill($("routes"), s.routes.map(r => {
            const tr = document.createElement("tr");
            tr.dataset.route = r.name; tr.dataset.upstream = r.upstream; tr.dataset.connections = r.connections;
            const health = r.upstream_health;
            const kind = health === "reachable" ? "ok" : health === "unreachable" ? "bad" : "";
            const opened = perSecond(newRoutes.get(r.name), oldRoutes.get(r.name), x => x.connections_total, seconds);
            tr.append(cell("Route", r.name),
                      cell("Match", code((r.host || "any host") + " " + r.path_prefix)),
                      cell("Upstream", code(poolText(r))),
                      cell("Health", badge(health, kind)),
                      cell("Connections", count(r.connections), "num"),
                      cell("New/s", opened === null ? "–" : rate(opened), "num"),
                      cell("Total", count(r.connections_total), "num"));
            return tr;
          }), 7);
          fill($("listeners"), s.listeners.map(l => {
            const tr = document.createElement("tr");
            tr.dataset.listener = l.name;
            tr.append(cell("Listener", l.name), cell("Address", code(l.address)), cell("Protocol", l.tls ? "wss (TLS)" : "ws"),
                      cell("Connections", count(l.connections), "num"));
            return tr;
          }), 4);
          const oldLoops = new Map((before ? before.loops : []).map(l => [l.index, l]));
          const newLoops = new Map((after ? after.loops : []).map(l => [l.index, l]));
          fill($("loops"), s.loops.map(l => {
            const tr = document.createElement("tr");
            const old = oldLoops.get(l.index), now = newLoops.get(l.index);
            const wake = perSecond(now, old, x => x.wakeups, seconds), events = perSecond(now, old, x => x.events, seconds);
            tr.append(cell("Loop", "#" + l.index), cell("State", badge(l.answered ? "answering" : "stalled", l.answered ? "ok" : "bad")),
                      cell("Connections", count(l.connections), "num"),
                      cell("Wake-ups/s", wake === null ? "–" : rate(wake), "num"),
                      cell("Events/s", events === null ? "–" : rate(events), "num"),
                      cell("Buffers", count(l.buffers_in_use), "num"));
            return tr;
          }), 6);
        }

        async function poll() {
          try {
            const response = await fetch("status", { cache: "no-store", credentials: "same-origin" });
            if (!response.ok) throw new Error("status answered HTTP " + response.status);
            const s = await response.json();
            if (!windowStart || s.uptime_seconds < windowStart.uptime_seconds) {
              windowStart = s;
            } else if (s.uptime_seconds - windowStart.uptime_seconds >= MIN_WINDOW_SECONDS) {
              rateWindow = { from: windowStart, to: s, seconds: s.uptime_seconds - windowStart.uptime_seconds };
              windowStart = s;
            }
            render(s, rateWindow);
            $("error").style.display = "none";
            $("updated").textContent = "updated " + new Date().toLocaleTimeString();
          } catch (error) {
            $("error").textContent = "Cannot reach the gateway: " + error.message;
            $("error").style.display = "block";
          } finally {
            setTimeout(poll, POLL_MS);
          }
        }
        poll();
        </script>
        </body>
        </html>
        """#
}
