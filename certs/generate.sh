#!/usr/bin/env bash
# Creates throw-away certificates for wsgate's tests and local experiments.
# Usage: certs/generate.sh [--force] [OUT_DIR]   (OUT_DIR defaults to certs/generated)
set -euo pipefail

force=0
out_dir=""
for arg in "$@"; do
    case "$arg" in
        --force) force=1 ;;
        -h | --help)
            sed -n '2,3s/^# \{0,1\}//p' "$0"
            exit 0
            ;;
        -*)
            echo "generate.sh: unknown option $arg" >&2
            exit 2
            ;;
        *) out_dir=$arg ;;
    esac
done
out_dir=${out_dir:-"$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/generated"}

outputs=(ca.pem ca.key server.pem server.key server-chain.pem alt.pem alt.key rsa.pem rsa.key other-ca.pem other-ca.key)

all_present() {
    local name
    for name in "${outputs[@]}"; do
        [[ -f "$out_dir/$name" ]] || return 1
    done
}

if [[ $force -eq 0 ]] && all_present; then
    exit 0
fi

# openssl is chatty on success; show its output only when it fails.
quietly() {
    local log
    if ! log=$("$@" 2>&1); then
        printf 'generate.sh: %s failed:\n%s\n' "$*" "$log" >&2
        return 1
    fi
}

mkdir -p "$out_dir"
work=$(mktemp -d "$out_dir/.work.XXXXXX")
trap 'rm -rf "$work"' EXIT
umask 077

cat >"$work/openssl.cnf" <<'CNF'
[req]
distinguished_name = dn
prompt = no
[dn]
[ca]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
CNF

make_ca() { # name subject
    quietly openssl req -config "$work/openssl.cnf" -x509 -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 \
        -nodes -keyout "$work/$1.key" -out "$work/$1.pem" -days 3650 -sha256 -subj "$2" -extensions ca
}

make_leaf() { # name subject subject-alt-names key-algorithm-options...
    local name=$1 subject=$2 alt_names=$3
    shift 3
    cat >"$work/$name.ext" <<EXT
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature, keyEncipherment
extendedKeyUsage = serverAuth
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
subjectAltName = $alt_names
EXT
    quietly openssl req -config "$work/openssl.cnf" -new -newkey "$@" -nodes \
        -keyout "$work/$name.key" -out "$work/$name.csr" -subj "$subject"
    quietly openssl x509 -req -in "$work/$name.csr" -CA "$work/ca.pem" -CAkey "$work/ca.key" \
        -set_serial "0x$(openssl rand -hex 16)" -days 825 -sha256 \
        -extfile "$work/$name.ext" -out "$work/$name.pem"
}

make_ca ca "/O=wsgate tests/CN=wsgate test CA"
make_ca other-ca "/O=wsgate tests/CN=wsgate unrelated CA"
localhost_names="DNS:localhost, IP:127.0.0.1, IP:::1"
make_leaf server "/CN=localhost" "$localhost_names" ec -pkeyopt ec_paramgen_curve:P-256
make_leaf alt "/CN=alt.test" "DNS:alt.test, DNS:*.wild.test" ec -pkeyopt ec_paramgen_curve:P-256
make_leaf rsa "/CN=localhost" "$localhost_names" rsa:2048
cat "$work/server.pem" "$work/ca.pem" >"$work/server-chain.pem"

# Certificates are public; keys stay owner-only.
for name in "${outputs[@]}"; do
    case "$name" in
        *.pem) chmod 644 "$work/$name" ;;
        *) chmod 600 "$work/$name" ;;
    esac
    mv -f "$work/$name" "$out_dir/$name"
done
