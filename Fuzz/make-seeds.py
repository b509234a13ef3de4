#!/usr/bin/env python3
"""Writes the seed corpora under Fuzz/corpus/<target>/ (run from anywhere; rewrites the seed-* files).

Each seed is a small, meaningful input the fuzzer mutates from: valid and invalid HTTP heads, frame
streams for both directions, JSON documents, tokens and auth messages. libFuzzer adds the inputs it finds
to a separate working corpus (.build/fuzz-corpus), so these stay as written."""
import base64, hashlib, hmac, json, os, struct

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "corpus")


def save(target, name, data):
    directory = os.path.join(ROOT, target)
    os.makedirs(directory, exist_ok=True)
    with open(os.path.join(directory, "seed-" + name), "wb") as f:
        f.write(data if isinstance(data, bytes) else data.encode())


def request(target="/echo", extra=(), version="1.1", lines=None):
    base = lines if lines is not None else [
        "GET %s HTTP/%s" % (target, version), "Host: example.com", "Upgrade: websocket", "Connection: Upgrade",
        "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==", "Sec-WebSocket-Version: 13"]
    return "\r\n".join(list(base) + list(extra)) + "\r\n\r\n"


def http_seeds():
    save("http", "upgrade", request())
    save("http", "upgrade-full", request("/chat/room?id=7&token=abc%20d", [
        "Origin: https://app.example.com", "Sec-WebSocket-Protocol: chat, bearer.abc",
        "Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits", "Cookie: a=1; token=\"xyz\"",
        "Authorization: Bearer abc.def.ghi", "X-Forwarded-For: 10.0.0.1, 192.0.2.5", "User-Agent: fuzz\t/1",
        "Connection: keep-alive, Upgrade, X-Drop", "X-Drop: me"]))
    save("http", "absolute-form", request("http://example.com:8080/echo"))
    save("http", "obs-fold", request(extra=["X-Folded: one", " two"]))
    save("http", "bare-lf", request().replace("\r\nHost", "\nHost"))
    save("http", "duplicate-host", request(extra=["Host: evil.example"]))
    save("http", "content-length", request(extra=["Content-Length: 5"]) + "hello")
    save("http", "transfer-encoding", request(extra=["Transfer-Encoding: chunked"]) + "0\r\n\r\n")
    save("http", "http10", request(version="1.0"))
    save("http", "space-before-colon", request(extra=["X-Bad : value"]))
    save("http", "long-line", "GET /" + "a" * 9000 + " HTTP/1.1\r\nHost: h\r\n\r\n")
    save("http", "many-headers", request(extra=["X-H%d: %d" % (i, i) for i in range(101)]))
    save("http", "post", request(lines=["POST /echo HTTP/1.1", "Host: h", "Content-Length: 0"]))
    save("http", "response-101", "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
         "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\nSec-WebSocket-Protocol: chat\r\n\r\n")
    save("http", "response-403", "HTTP/1.1 403 Forbidden\r\nContent-Type: text/plain\r\nContent-Length: 9\r\n\r\nforbidden")
    save("http", "response-no-reason", "HTTP/1.1 101 \r\nUpgrade: websocket\r\n\r\n")


def frame(opcode, payload=b"", fin=True, rsv=0, mask=None, length=None):
    first = (0x80 if fin else 0) | rsv | opcode
    n = len(payload) if length is None else length
    bit = 0x80 if mask is not None else 0
    if n < 126:
        head = bytes([first, bit | n])
    elif n <= 0xFFFF:
        head = bytes([first, bit | 126]) + struct.pack(">H", n)
    else:
        head = bytes([first, bit | 127]) + struct.pack(">Q", n)
    if mask is None:
        return head + payload
    return head + mask + bytes(b ^ mask[i % 4] for i, b in enumerate(payload))


def close(code, reason=b""):
    return struct.pack(">H", code) + reason


def frame_streams(masked):
    key = b"\x37\xfa\x21\x3d" if masked else None
    m = lambda *a, **k: frame(*a, mask=key, **k)
    text = "wsgate ✓ ünïcode 🚀".encode()
    return {
        "hello": m(1, b"Hello") + m(8, close(1000)),
        "fragmented-pings": m(1, text[:7], fin=False) + m(9, b"ping") + m(0, text[7:15], fin=False)
        + m(10, b"pong") + m(0, text[15:]) + m(2, bytes(range(256))),
        "lengths": m(2, b"x" * 125) + m(2, b"y" * 126) + m(1, b"z" * 300) + m(2, b"", length=0),
        "close-reason": m(1, b"bye") + m(8, close(4000, "custom ✓".encode())),
        "close-bad-code": m(8, close(1005)),
        "close-one-byte": m(8, b"\x03"),
        "close-bad-utf8": m(8, close(1000, b"\xce\xba\xe1\xbd\xb9\xcf\x83\xce\xbc\xce\xb5\xed\xa0\x80")),
        "bad-utf8-text": m(1, b"\xce\xba\xe1", fin=False) + m(0, b"\xbd\xb9\xed\xa0\x80"),
        "reserved-opcode": m(1, b"ok") + m(3, b"?"),
        "rsv-bits": m(1, b"compressed?", rsv=0x40),
        "continuation-first": m(0, b"orphan"),
        "ping-too-long": m(9, b"p" * 126),
        "ping-fragmented": m(9, b"p", fin=False),
        "keepalive-pong": m(10, struct.pack("<Q", 0x7773676174652121)) + m(1, b"after"),
        "huge-length": m(2, b"", length=1 << 40),
        "wrong-masking": frame(1, b"flip", mask=None if masked else b"\x01\x02\x03\x04"),
    }


def frame_seeds():
    for masked in (False, True):
        for name, stream in frame_streams(masked).items():
            config = 1 if masked else 0
            save("frames", "%s-%s" % ("client" if masked else "server", name), bytes([config]) + stream)
            save("frames", "%s-%s-small" % ("client" if masked else "server", name), bytes([config | 2]) + stream)
            # Relay: remask, keepalive pong token, ping injection, split, buffer size vary with the name.
            variant = sum(name.encode()) % 4
            relay_config = config | (2 if masked else 0) | 8 | (16 if variant & 1 else 0) | (32 if variant & 2 else 0)
            save("relay", "%s-%s" % ("client" if masked else "server", name), bytes([relay_config | variant << 6]) + stream)


def json_seeds():
    docs = {
        "object": '{"type":"auth","data":{"token":"abc.def.ghi"},"n":[1,-2.5e10,0.0001,true,false,null]}',
        "escapes": '["\\u00e9\\ud83d\\ude80\\n\\t\\"\\\\\\/\\b\\f\\r", "plain ✓"]',
        "numbers": '[0,-0,1e308,-1E-308,123456789012345678901234567890,0.5e+3]',
        "nested": "[" * 16 + "]" * 16,
        "too-deep": "[" * 17 + "]" * 17,
        "lone-surrogate": '["\\ud800"]',
        "duplicate-key": '{"a":1,"a":2}',
        "trailing-comma": '[1,2,]',
        "bom": '\ufeff{}',
        "config": json.dumps({"listeners": [{"name": "main", "address": "0.0.0.0:8080"}],
                              "routes": [{"name": "r", "upstream": "ws://127.0.0.1:9000/", "max_message_size": 1048576}]}),
    }
    for name, text in docs.items():
        save("json", name, text)
    save("json", "invalid-utf8", b'["\xc0\xaf"]')


SECRET = b"wsgate fuzzing secret, 32+ bytes long!"


def b64(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=")


def jwt(claims, header=None):
    header = header or {"alg": "HS256", "typ": "JWT"}
    signing = b64(json.dumps(header).encode()) + b"." + b64(json.dumps(claims).encode())
    return signing + b"." + b64(hmac.new(SECRET, signing, hashlib.sha256).digest())


def auth_seeds():
    good = {"sub": "alice", "exp": 1800000000, "iss": "https://issuer.example", "aud": "wsgate", "role": "admin"}
    save("auth", "header-jwt", b"\x00" + jwt(good))
    save("auth", "header-jwt-expired", b"\x00" + jwt(dict(good, exp=1600000000)))
    save("auth", "header-jwt-none", b"\x00" + jwt(good, {"alg": "none"}))
    save("auth", "header-static", b"\x00fuzz-static-token-0001")
    save("auth", "signed-claims", b"\x01" + json.dumps(good).encode())
    save("auth", "signed-aud-array", b"\x01" + json.dumps(dict(good, aud=["x", "wsgate"], nbf=1699999990)).encode())
    save("auth", "signed-header-kid", b"\x01" + json.dumps({"alg": "HS256", "kid": "k1", "typ": "at+jwt"}).encode()
         + b"\x00" + json.dumps(good).encode())
    save("auth", "signed-bad-claim", b"\x01" + json.dumps(dict(good, role="a\r\nX-Evil: 1")).encode())
    save("auth", "first-message", b"\x02" + json.dumps({"type": "auth", "data": {"token": jwt(good).decode()}}).encode())
    save("auth", "first-message-short", b"\x02" + json.dumps({"token": "fuzz-static-token-0001"}).encode())
    token = jwt(good).decode()
    for name, extra, target in [
        ("request-query", [], "/ws?x=1&token=%s&y=2" % token),
        ("request-cookie", ["Cookie: a=1; token=\"%s\"; b=2" % token], "/ws"),
        ("request-subprotocol", ["Sec-WebSocket-Protocol: chat, bearer.%s" % token], "/ws"),
        ("request-header", ["Authorization: Bearer %s" % token, "X-Auth-Identity: mallory"], "/ws"),
        ("request-two-tokens", ["Authorization: Bearer a.b.c"], "/ws?token=d.e.f"),
    ]:
        save("auth", name, b"\x03" + request(target, extra).encode())


if __name__ == "__main__":
    http_seeds()
    frame_seeds()
    json_seeds()
    auth_seeds()
