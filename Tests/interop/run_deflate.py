#!/usr/bin/env python3
"""permessage-deflate interop tests: Python `websockets` (compression on) on both sides of `wsgate proxy`
in each deflate mode (off, pass-through, terminate), plus raw frames for the rejections and a
decompression bomb against a 1 MiB limit. Ends with `N passed, M failed`.

Usage: run_deflate.py --wsgate .build/debug/wsgate
"""

import argparse
import asyncio
import base64
import os
import sys
import tempfile
import time
import traceback
import zlib

from websockets.asyncio.client import connect
from websockets.asyncio.server import serve
from websockets.exceptions import ConnectionClosed
from websockets.extensions.permessage_deflate import ClientPerMessageDeflateFactory

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from run_interop import Gateway, binary_payload, free_port, text_payload  # noqa: E402

TESTS = []
MODES = ["off", "pass-through", "terminate"]


def test(function):
    TESTS.append(function)
    return function


class Env:
    def __init__(self, binary, workdir):
        self.binary, self.workdir = binary, workdir
        self.ports, self.gateways = {}, {}
        self.backend_extensions = []

    async def handler(self, ws):
        self.backend_extensions.append(ws.request.headers.get("Sec-WebSocket-Extensions"))
        try:
            async for message in ws:
                await ws.send(message)
        except ConnectionClosed:
            pass

    async def start(self):
        # websockets compresses by default (permessage-deflate with its own window and memLevel choices).
        self.server = await serve(self.handler, "127.0.0.1", 0, max_size=None, ping_interval=None)
        backend = self.server.sockets[0].getsockname()[1]
        variants = [(mode, mode, "0") for mode in MODES] + [("bomb", "terminate", str(1 << 20))]
        for name, mode, limit in variants:
            port = free_port()
            self.ports[name] = port
            self.gateways[name] = Gateway(self.binary, ["proxy", "--from", f"127.0.0.1:{port}", "--to",
                                                        f"ws://127.0.0.1:{backend}/", "--workers", "1",
                                                        "--deflate", mode, "--max-message-size", limit],
                                          port, self.workdir, f"gateway-{name}")
        for gateway in self.gateways.values():
            await gateway.ready()

    def connect(self, name, **kwargs):
        kwargs.setdefault("max_size", None)
        kwargs.setdefault("open_timeout", 10)
        return connect(f"ws://127.0.0.1:{self.ports[name]}/", proxy=None, **kwargs)

    def stop(self):
        return {name: gateway.stop() for name, gateway in self.gateways.items()}


def agreed(ws):
    return ws.response.headers.get("Sec-WebSocket-Extensions")


@test
async def negotiation_per_mode(env):
    for mode in MODES:
        async with env.connect(mode) as ws:
            upstream = env.backend_extensions[-1]
            if mode == "off":
                assert agreed(ws) is None and upstream is None, (agreed(ws), upstream)
            elif mode == "pass-through":
                assert upstream and upstream.startswith("permessage-deflate"), upstream
                assert agreed(ws) and agreed(ws).startswith("permessage-deflate"), agreed(ws)
            else:
                assert upstream == "permessage-deflate; server_max_window_bits=12", upstream
                assert agreed(ws).startswith("permessage-deflate"), agreed(ws)


@test
async def byte_exact_up_to_16_mib_in_every_mode(env):
    for mode in MODES:
        async with env.connect(mode) as ws:
            for size in [0, 1, 125, 126, 65535, 65536, 1 << 20, 16 << 20]:
                for message in (text_payload(size), binary_payload(size)):
                    await ws.send(message)
                    echoed = await ws.recv()
                    assert type(echoed) is type(message) and echoed == message, f"{mode}: {type(message).__name__} {size}"


@test
async def fragmented_compressed_messages(env):
    for mode in MODES:
        async with env.connect(mode) as ws:
            parts = [text_payload(1000), text_payload(70000), "", text_payload(5)]
            await ws.send(parts)
            assert await ws.recv() == "".join(parts), mode
            chunks = [binary_payload(4096, seed=i) for i in range(40)]
            await ws.send(chunks)
            assert await ws.recv() == b"".join(chunks), mode


@test
async def context_takeover_across_1000_messages(env):
    for mode in MODES:
        async with env.connect(mode) as ws:
            for i in range(1000):
                message = f"message {i} " + "repeated text " * (i % 50)
                await ws.send(message)
                assert await ws.recv() == message, f"{mode}: message {i}"


@test
async def no_context_takeover_when_the_client_asks(env):
    factory = ClientPerMessageDeflateFactory(server_no_context_takeover=True, client_no_context_takeover=True)
    for mode in ["pass-through", "terminate"]:
        async with env.connect(mode, extensions=[factory], compression=None) as ws:
            header = agreed(ws)
            assert "server_no_context_takeover" in header and "client_no_context_takeover" in header, header
            for i in range(50):
                await ws.send(text_payload(3000 + i))
                assert await ws.recv() == text_payload(3000 + i)


@test
async def uncompressed_client_through_terminate(env):
    async with env.connect("terminate", compression=None) as ws:
        assert agreed(ws) is None
        for size in [0, 200, 1 << 20]:
            message = binary_payload(size)
            await ws.send(message)
            assert await ws.recv() == message, size


def rss_kib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    raise RuntimeError("no VmRSS")


@test
async def decompression_bomb_closes_1009_quickly(env):
    bomb = bytes(100 << 20)
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    payload = compressor.compress(bomb) + compressor.flush(zlib.Z_SYNC_FLUSH)
    payload = payload[:-4]
    pid = env.gateways["bomb"].process.pid
    async with env.connect("bomb") as ws:
        await ws.send("warm up")
        await ws.recv()
        before = rss_kib(pid)
        start = time.monotonic()
        # One compressed frame of ~100 KiB that inflates to 100 MiB, written raw (RSV1, masked).
        ws.transport.write(frame(0x2, payload, rsv1=True))
        try:
            await asyncio.wait_for(ws.recv(), 10)
            raise AssertionError("the bomb was relayed")
        except ConnectionClosed as closed:
            elapsed = time.monotonic() - start
            assert closed.rcvd is not None and closed.rcvd.code == 1009, closed
        after = rss_kib(pid)
    print(f"  bomb: {len(payload)} compressed bytes, close 1009 after {elapsed * 1000:.1f} ms, "
          f"gateway RSS {before} -> {after} KiB")
    assert elapsed < 0.5, elapsed
    assert after - before < 8 * 1024, (before, after)


def frame(opcode, payload, rsv1=False, fin=True, mask=True):
    head = bytearray([(0x80 if fin else 0) | (0x40 if rsv1 else 0) | opcode])
    length = len(payload)
    bit = 0x80 if mask else 0
    if length < 126:
        head.append(bit | length)
    elif length < 65536:
        head += bytes([bit | 126]) + length.to_bytes(2, "big")
    else:
        head += bytes([bit | 127]) + length.to_bytes(8, "big")
    if not mask:
        return bytes(head) + payload
    key = os.urandom(4)
    return bytes(head) + key + bytes(b ^ key[i % 4] for i, b in enumerate(payload))


async def raw_close_code(env, mode, frames):
    """Opens a raw connection offering permessage-deflate, sends `frames`, returns the close code received."""
    reader, writer = await asyncio.open_connection("127.0.0.1", env.ports[mode])
    key = base64.b64encode(os.urandom(16)).decode()
    writer.write((f"GET / HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                  f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n"
                  f"Sec-WebSocket-Extensions: permessage-deflate\r\n\r\n").encode())
    head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), 5)
    assert b" 101 " in head.split(b"\r\n")[0], head
    assert b"permessage-deflate" in head, head
    for data in frames:
        writer.write(data)
    try:
        while True:
            first = await asyncio.wait_for(reader.readexactly(2), 5)
            length = first[1] & 0x7F
            if length == 126:
                length = int.from_bytes(await reader.readexactly(2), "big")
            elif length == 127:
                length = int.from_bytes(await reader.readexactly(8), "big")
            body = await reader.readexactly(length)
            if first[0] & 0x0F == 0x8:
                return int.from_bytes(body[:2], "big")
    finally:
        writer.close()


@test
async def rejections_in_terminate_mode(env):
    assert await raw_close_code(env, "terminate", [frame(0x2, b"\xff\xff\xff\xff\x00", rsv1=True)]) == 1007
    assert await raw_close_code(env, "terminate", [frame(0x9, b"", rsv1=True)]) == 1002
    hello = bytes([0xF2, 0x48, 0xCD, 0xC9, 0xC9, 0x07, 0x00])
    assert await raw_close_code(env, "terminate", [frame(0x1, hello[:3], rsv1=True, fin=False),
                                                   frame(0x0, hello[3:], rsv1=True)]) == 1002


@test
async def rejections_in_pass_through_and_off(env):
    assert await raw_close_code(env, "pass-through", [frame(0x9, b"", rsv1=True)]) == 1002
    reader, writer = await asyncio.open_connection("127.0.0.1", env.ports["off"])
    key = base64.b64encode(os.urandom(16)).decode()
    writer.write((f"GET / HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                  f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n"
                  f"Sec-WebSocket-Extensions: permessage-deflate\r\n\r\n").encode())
    head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), 5)
    assert b"Sec-WebSocket-Extensions" not in head, head
    writer.write(frame(0x1, bytes([0xF2, 0x48, 0xCD, 0xC9, 0xC9, 0x07, 0x00]), rsv1=True))
    first = await asyncio.wait_for(reader.readexactly(2), 5)
    body = await reader.readexactly(first[1] & 0x7F)
    assert first[0] & 0x0F == 0x8 and int.from_bytes(body[:2], "big") == 1002, (first, body)
    writer.close()


async def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--wsgate", required=True)
    parser.add_argument("-k", default="")
    args = parser.parse_args()
    passed = failed = 0
    with tempfile.TemporaryDirectory() as workdir:
        env = Env(os.path.abspath(args.wsgate), workdir)
        await env.start()
        for function in TESTS:
            if args.k not in function.__name__:
                continue
            started = time.monotonic()
            try:
                await asyncio.wait_for(function(env), 120)
                passed += 1
                print(f"PASS {function.__name__} ({time.monotonic() - started:.2f} s)", flush=True)
            except Exception:
                failed += 1
                print(f"FAIL {function.__name__}\n{traceback.format_exc()}", flush=True)
        statuses = env.stop()
        if any(status != 0 for status in statuses.values()):
            failed += 1
            print(f"FAIL gateways exit statuses {statuses}")
        if failed:
            for gateway in env.gateways.values():
                print(f"--- {gateway.name}\n{gateway.output()}")
        env.server.close()
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
