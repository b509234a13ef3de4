# Turns scripts/bench's results.tsv (scenario, kind, target, rep, figure, value) into markdown tables:
# medians with their min–max spread, and per-repetition ratios wsgate/nginx and wsgate/HAProxy (and of
# wsgate-term, which terminates permessage-deflate, where it ran), and for each "X-deflate" scenario with an
# "X-plain" twin, every target with and without compression side by side.
NR == 1 { next }
{
    s = $1; k = $2; t = $3; r = $4; f = $5; v = $6
    if (!(s in kind)) { order[++scenarios] = s; kind[s] = k }
    present[s, t] = 1
    if (v != "NA" && v != "") {
        n = ++count[s, t, f]
        value[s, t, f, n] = v + 0
        byrep[s, t, f, r] = v + 0
        hasrep[s, t, f, r] = 1
        if (f == "others") allothers[++nothers] = v + 0
    }
    if (r + 0 > reps) reps = r + 0
}

function fmt(x) {
    if (x == "") return "–"
    if (x == int(x) && x < 1e6 && x > -1e6) return sprintf("%d", x)
    if (x >= 100 || x <= -100) return sprintf("%.0f", x)
    if (x >= 10 || x <= -10) return sprintf("%.1f", x)
    return sprintf("%.2f", x)
}

# Sorts list[1..n] in place (n is small: one entry per repetition).
function sortlist(list, n,    i, j, x) {
    for (i = 2; i <= n; i++) {
        x = list[i]
        for (j = i - 1; j >= 1 && list[j] > x; j--) list[j + 1] = list[j]
        list[j + 1] = x
    }
}

function median(list, n) {
    return n % 2 ? list[(n + 1) / 2] : (list[n / 2] + list[n / 2 + 1]) / 2
}

# "median (min–max)" of a list; one value alone is shown bare.
function summary(list, n) {
    if (n == 0) return "–"
    sortlist(list, n)
    if (n == 1 || list[1] == list[n]) return fmt(median(list, n))
    return fmt(median(list, n)) " (" fmt(list[1]) "–" fmt(list[n]) ")"
}

function cell(s, t, f,    i, n, list) {
    n = count[s, t, f] + 0
    for (i = 1; i <= n; i++) list[i] = value[s, t, f, i]
    return summary(list, n)
}

# Target `mine` of scenario `s1` against target `other` of scenario `s2`, figure `f`, paired by repetition.
function cross(s1, mine, s2, other, f,    r, n, list) {
    n = 0
    for (r = 1; r <= reps; r++) {
        if (hasrep[s1, mine, f, r] && hasrep[s2, other, f, r] && byrep[s2, other, f, r] != 0)
            list[++n] = byrep[s1, mine, f, r] / byrep[s2, other, f, r]
    }
    return summary(list, n)
}

# `mine`'s figure divided by `other`'s in one scenario.
function ratio(s, mine, other, f) {
    return cross(s, mine, s, other, f)
}

function table(wanted, title, header, figures, nfig,    i, j, k, s, t, line, printed, targets, ntargets) {
    ntargets = split(alltargets, targets, " ")
    printed = 0
    for (i = 1; i <= scenarios; i++) {
        s = order[i]
        if (kind[s] != wanted) continue
        if (!printed) { print "## " title; print ""; print header; printed = 1
            line = "|---|---|"; for (j = 1; j <= nfig; j++) line = line "---|"; print line }
        for (j = 1; j <= ntargets; j++) {
            t = targets[j]
            if (!present[s, t]) continue
            line = "| " s " | " t " |"
            for (k = 1; k <= nfig; k++) line = line " " cell(s, t, figures[k]) " |"
            print line
        }
    }
    if (printed) print ""
}

# For every "X-deflate" scenario with an "X-plain" twin: each target's rate and CPU with and without
# compression, the cost of compression (with / without, paired by repetition) and payload bytes per wire
# byte. wsgate-term only runs compressed: its "without" is plain wsgate's.
function compression(    i, s, plain, j, t, base, printed, targets, ntargets) {
    ntargets = split(alltargets, targets, " ")
    for (i = 1; i <= scenarios; i++) {
        s = order[i]
        if (s !~ /-deflate$/) continue
        plain = substr(s, 1, length(s) - length("-deflate")) "-plain"
        if (!(plain in kind)) continue
        if (!printed++) {
            print "## Compression: the same messages with and without permessage-deflate"
            print ""
            print "Rates in messages/s; CPU µs per relayed message (direct: echo µs per echo); \"with / without\" paired by"
            print "repetition; ratio = payload bytes per byte on the wire, sent / echoed. wsgate passes compression through"
            print "(as nginx and HAProxy do, blindly); wsgate-term inflates and compresses again, and is compared with plain wsgate."
            print ""
            print "| scenario | target | rate without | rate with | CPU without | CPU with | CPU with / without | ratio sent | ratio echoed |"
            print "|---|---|---|---|---|---|---|---|---|"
        }
        for (j = 1; j <= ntargets; j++) {
            t = targets[j]
            if (!present[s, t]) continue
            base = t == "wsgate-term" ? "wsgate" : t
            print "| " s " | " t " | " cell(plain, base, "rate") " | " cell(s, t, "rate") " | " cell(plain, base, "cpu") \
                " | " cell(s, t, "cpu") " | " cross(s, t, plain, base, "cpu") " | " cell(s, t, "ratio_sent") \
                " | " cell(s, t, "ratio_back") " |"
        }
    }
    if (printed) print ""
}

END {
    alltargets = "direct wsgate wsgate-term nginx haproxy"
    if (nothers) {
        sortlist(allothers, nothers)
        print "Other load on the machine (cores busy with processes outside the run, per window): median " \
            fmt(median(allothers, nothers)) ", max " fmt(allothers[nothers]) "."
        if (allothers[nothers] > 0.2)
            print "**Other processes used the cores during some windows: treat rates and latencies there as noise; CPU per message is affected less.**"
        print ""
    }
    split("rate p99 cpu errors", figs, " ")
    table("load", "Messages (echo round trips)",
          "| scenario | target | messages/s | p99 µs | CPU µs per relayed message (direct: echo µs per echo) | errors |", figs, 4)
    table("churn", "Connection churn (connect, upgrade, one echo, close)",
          "| scenario | target | connections/s | p99 handshake µs | CPU µs per connection | errors |", figs, 4)
    split("kib up errors", figs, " ")
    table("idle", "Idle connections",
          "| scenario | target | KiB per connection (PSS growth) | connections up | errors |", figs, 3)
    split("kib up pings errors", figs, " ")
    table("flat", "Idle memory flatness (wsgate with keepalive pings every second)",
          "| scenario | target | KiB per connection | connections up | pings answered | errors |", figs, 4)
    compression()

    split("rate p99 cpu kib", rf, " ")
    names["rate"] = "rate"; names["p99"] = "p99 latency"; names["cpu"] = "CPU per message or connection"
    names["kib"] = "KiB per idle connection"
    split("wsgate wsgate-term", ours, " ")
    for (i = 1; i <= scenarios; i++) {
        s = order[i]
        for (m = 1; m <= 2; m++) {
            w = ours[m]
            if (!present[s, w]) continue
            for (j = 1; j <= 4; j++) {
                if (!count[s, w, rf[j]]) continue
                if (!present[s, "nginx"] && !present[s, "haproxy"]) continue
                if (!ratios++) {
                    print "## Ratios wsgate / nginx and wsgate / HAProxy"
                    print ""
                    print "Per repetition, then median (min–max). Below 1 is better for wsgate except for rates, where above 1 is."
                    print "Rows marked (terminate) are wsgate-term, which inflates and compresses again where nginx and HAProxy relay blindly."
                    print ""
                    print "| scenario | figure | wsgate / nginx | wsgate / HAProxy |"
                    print "|---|---|---|---|"
                }
                print "| " s (w == "wsgate" ? "" : " (terminate)") " | " names[rf[j]] " | " ratio(s, w, "nginx", rf[j]) \
                    " | " ratio(s, w, "haproxy", rf[j]) " |"
            }
        }
    }
    if (ratios) print ""

    print "## Load generator's own cost, and other load on the machine"
    print ""
    print "| scenario | target | bench CPU µs per message | bench cores busy | cores busy with other processes |"
    print "|---|---|---|---|---|"
    ntargets = split(alltargets, targets, " ")
    for (i = 1; i <= scenarios; i++) {
        s = order[i]
        for (j = 1; j <= ntargets; j++)
            if (present[s, targets[j]])
                print "| " s " | " targets[j] " | " cell(s, targets[j], "bench_cpu") " | " cell(s, targets[j], "bench_busy") \
                    " | " cell(s, targets[j], "others") " |"
    }
}
