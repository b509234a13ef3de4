/// Help texts, one per subcommand; docs/cli.md says the same at more length.
enum Usage {
    static let general = """
        usage: wsgate [COMMAND] [OPTIONS]

        With no command, runs a development gateway: ws://127.0.0.1:8080/echo and
        wss://127.0.0.1:8443/echo forwarding to a built-in echo backend on 127.0.0.1:8081.

        Commands:
          run      run the gateway from a configuration file
          check    validate a configuration file and exit
          proxy    forward one address to one upstream or a pool, without a configuration file
          echo     run a WebSocket echo server
          bench    load-test a WebSocket endpoint
          version  print the version

        Run 'wsgate COMMAND --help' for the options of a command.
        """

    static let run = """
        usage: wsgate run --config FILE [--workers N] [--admin HOST:PORT] [--log-level LEVEL]

          --config FILE        JSON configuration (see docs/configuration.md)
          --workers N          event loops, 0 = one per core; overrides the file's "workers"
          --admin HOST:PORT    serve /metrics, /status, /healthz, /readyz and the status page here;
                               overrides the file's admin address (its token_file stays)
          --log-level LEVEL    debug, info, warn or error; overrides the file's "log_level"
        """

    static let check = """
        usage: wsgate check --config FILE

        Validates FILE, including that certificate files exist, and exits 0 when it is usable.

          --config FILE   JSON configuration to check
        """

    static let proxy = """
        usage: wsgate proxy --from HOST:PORT --to ws[s]://HOST:PORT[/path] [OPTIONS]

          --from HOST:PORT     address to accept clients on (IPv4, [IPv6] or localhost)
          --to URL             upstream WebSocket URL, ws:// or wss://; repeat for a pool (same path)
          --balance POLICY     round-robin (default), least-conn, hash-ip, hash-identity,
                               hash-header:NAME or hash-query:NAME
          --health-check KIND  probe the upstreams: tcp, ws, ws:/PATH or http:/PATH (every 2 s)
          --upstream-ca FILE   PEM CA certificates that wss:// upstreams must chain to
          --tls-cert FILE      serve TLS with this PEM certificate chain (needs --tls-key)
          --tls-key FILE       private key for --tls-cert
          --workers N          event loops, 0 = one per core (default 0)
          --path-prefix P      forward only paths under P (default /: everything)
          --max-message-size BYTES      largest message either way, 0 = unlimited (default 1048576)
          --handshake-timeout SECONDS   time for each opening handshake (default 10)
          --max-connections N           most client connections at once, 0 = unlimited (default 0)
          --max-connections-per-ip N    most connections at once from one IP, 0 = unlimited (default 0)
          --deflate MODE       permessage-deflate: off, pass-through or terminate (default off)
          --token-file FILE    require a token listed in FILE ("<token> <identity>" lines)
          --jwt-secret-file F  accept HS256 JWTs signed with the secret in F
          --jwt-public-key F   accept RS256/ES256 JWTs signed for this PEM public key; repeatable
          --jwt-issuer ISS     JWTs must have this "iss"
          --jwt-audience AUD   JWTs must name this audience in "aud"
          --admin HOST:PORT    serve /metrics, /status, /healthz, /readyz and the status page here
          --log-level LEVEL    debug, info, warn or error (default info)
        """

    static let echo = """
        usage: wsgate echo --listen HOST:PORT [--workers N] [--tls-cert FILE --tls-key FILE] [--deflate]

          --listen HOST:PORT   address to accept clients on
          --workers N          event loops, 0 = one per core (default 0)
          --tls-cert FILE      serve TLS with this PEM certificate chain (needs --tls-key)
          --tls-key FILE       private key for --tls-cert
          --deflate            negotiate permessage-deflate with clients that offer it; each compressed
                               message is inflated and its echo compressed again
        """

    static let bench = """
        usage: wsgate bench --url ws[s]://HOST:PORT[/path] [OPTIONS]

          --url URL               endpoint to load
          --conns N               concurrent connections (default 100)
          --size BYTES            payload bytes per message (default 64)
          --payload KIND          binary (a byte pattern, default) or text (JSON chat messages, which
                                  compress like real ones; --size 96 or more)
          --deflate               offer permessage-deflate, compress every message, inflate the echoes;
                                  fails when the server does not agree
          --depth K               messages in flight per connection (default 1)
          --duration S            measured seconds (default 10)
          --warmup S              unmeasured seconds before measuring (default 1)
          --header 'Name: value'  extra handshake header; repeatable
          --idle                  hold connections open without sending
          --churn                 close and reopen connections continuously
          --rate N                send N messages per second in all, or with --churn start N connection
                                  cycles per second (default: each echo sends the next, each cycle
                                  starts the next)
          --tls-resume            with --churn over wss://, resume TLS sessions (default: full handshakes)
          --ca FILE               PEM CA certificates to trust for wss://
          --insecure              skip certificate verification for wss://
          --workers N             event loops, 0 = one per core (default 0)
          --source-addresses N    spread connections over 127.0.0.1..127.0.0.N (default 1)
          --json                  print results as one JSON object
          --watch-pids P,P...     also report these processes' CPU time per message and memory
        """

    static let version = """
        usage: wsgate version

        Prints the version.
        """
}
