# Minimal proxy configurations for scripts/bench; sourced, not run.
# Each writer takes the output file, the worker count ("auto"/N) and the ports it needs from the caller's
# variables: ECHO_PORT, CERT_CHAIN, CERT_KEY, and the per-proxy PLAIN/TLS ports.

# nginx: one upgrade-aware location, no access log, timeouts long enough for idle connections. nginx 1.22
# defaults to TLS 1.0-1.2 only; TLS 1.3 is enabled so that all three proxies negotiate the same protocol
# and cipher suite (TLS 1.3, TLS_AES_256_GCM_SHA384) and the TLS scenarios compare like with like.
write_nginx_conf() { # file workers plain-port tls-port scratch-dir
    cat >"$1" <<CONF
worker_processes $2;
worker_rlimit_nofile 20000;
daemon off;
pid $5/nginx.pid;
error_log $5/nginx-error.log error;
events {
    worker_connections 19990;
}
http {
    access_log off;
    client_body_temp_path $5/nginx-body;
    proxy_temp_path $5/nginx-proxy;
    server {
        listen 127.0.0.1:$3 backlog=4096;
        listen 127.0.0.1:$4 ssl backlog=4096;
        ssl_certificate $CERT_CHAIN;
        ssl_certificate_key $CERT_KEY;
        ssl_protocols TLSv1.2 TLSv1.3;
        location / {
            proxy_pass http://127.0.0.1:$ECHO_PORT;
            proxy_http_version 1.1;
            proxy_set_header Upgrade \$http_upgrade;
            proxy_set_header Connection "upgrade";
            proxy_read_timeout 3600s;
            proxy_send_timeout 3600s;
        }
    }
}
CONF
}

# HAProxy: HTTP mode (it switches to a tunnel after the 101), one backend server, no logging.
write_haproxy_conf() { # file threads plain-port tls-port pem
    cat >"$1" <<CONF
global
    nbthread $2
    maxconn 9900
defaults
    mode http
    timeout connect 5s
    timeout client 1h
    timeout server 1h
    timeout tunnel 1h
frontend websocket
    bind 127.0.0.1:$3
    bind 127.0.0.1:$4 ssl crt $5
    default_backend echo
backend echo
    server echo 127.0.0.1:$ECHO_PORT maxconn 10000
CONF
}

# wsgate with the same route as `wsgate proxy`, but keepalive pings every second (for the idle check).
write_wsgate_ping_conf() { # file workers plain-port
    cat >"$1" <<CONF
{
  "workers": $2,
  "log_level": "warn",
  "listeners": [{ "name": "plain", "address": "127.0.0.1:$3" }],
  "defaults": { "ping_interval": 1, "pong_timeout": 5 },
  "routes": [{ "name": "echo", "upstream": "ws://127.0.0.1:$ECHO_PORT/" }]
}
CONF
}

# wsgate terminating permessage-deflate (scenario g): one plain listener, otherwise as `wsgate proxy`.
write_wsgate_term_conf() { # file workers plain-port
    cat >"$1" <<CONF
{
  "workers": $2,
  "log_level": "warn",
  "listeners": [{ "name": "plain", "address": "127.0.0.1:$3" }],
  "routes": [{ "name": "echo", "upstream": "ws://127.0.0.1:$ECHO_PORT/", "deflate": "terminate" }]
}
CONF
}
