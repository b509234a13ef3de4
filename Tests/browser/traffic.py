#!/usr/bin/env python3
"""Keeps WebSocket connections open through wsgate and sends a message on each every 200 ms, reading its
echo, so the status page has live connections and message rates to show. Standard library only.
Usage: traffic.py PORT PATH CONNECTIONS SECONDS"""
import base64
import os
import socket
import struct
import sys
import time


def open_connection(port, path):
    sock = socket.create_connection(("127.0.0.1", port), timeout=5)
    key = base64.b64encode(os.urandom(16)).decode()
    sock.sendall((f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                  f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n").encode())
    head = b""
    while b"\r\n\r\n" not in head:
        chunk = sock.recv(4096)
        if not chunk:
            raise SystemExit("connection closed during the handshake")
        head += chunk
    if not head.startswith(b"HTTP/1.1 101"):
        raise SystemExit(f"handshake refused: {head.splitlines()[0]!r}")
    return sock


def send_text(sock, payload):
    mask = os.urandom(4)
    masked = bytes(b ^ mask[i % 4] for i, b in enumerate(payload))
    sock.sendall(struct.pack("!BB", 0x81, 0x80 | len(payload)) + mask + masked)


def read_frame(sock):
    def exactly(n):
        data = b""
        while len(data) < n:
            chunk = sock.recv(n - len(data))
            if not chunk:
                raise SystemExit("connection closed")
            data += chunk
        return data
    first, second = exactly(2)
    length = second & 0x7F
    if length == 126:
        length = struct.unpack("!H", exactly(2))[0]
    return exactly(length)


def main():
    port, path, count, seconds = int(sys.argv[1]), sys.argv[2], int(sys.argv[3]), float(sys.argv[4])
    connections = [open_connection(port, path) for _ in range(count)]
    print(f"{count} connections open", flush=True)
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        for sock in connections:
            send_text(sock, b"hello from the browser test")
            read_frame(sock)
        time.sleep(0.2)


if __name__ == "__main__":
    main()
