#!/usr/bin/env python3
"""Interoperability tests: Python `websockets` peers on both sides of a real wsgate process.

(a) a `websockets` server behind `wsgate proxy`; (b) `websockets` clients through `wsgate run` over ws and
wss (trusting the CA from certs/generate.sh) to the built-in echo. Prints one line per test and ends with
`N passed, M failed`; exits non-zero if any failed.

Usage: run_interop.py --wsgate .build/debug/wsgate
"""

import argparse
import asyncio
import json
import os
import signal
import socket
import ssl
import subprocess
import sys
import tempfile
import time
import traceback

from websockets.asyncio.client import connect
from websockets.asyncio.server import serve
from websockets.exceptions import ConnectionClosed

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SUBPROTOCOLS = ["chat.v2", "chat.v1"]
TESTS = []


def test(function):
    """Registers a test coroutine; tests run in file order."""
    TESTS.append(function)
    return function


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def text_payload(size):
    """`size` bytes of valid UTF-8 with multi-byte characters, as a str."""
    unit = "wsgate ✓ ünïcode 🚀 0123456789 "
    unit_bytes = len(unit.encode())
    count, rest = divmod(size, unit_bytes)
    return unit * count + "x" * rest


def binary_payload(size, seed=7):
    return (seed.to_bytes(1, "big") + os.urandom(31)) * (size // 32) + os.urandom(size % 32)


class Gateway:
    """A wsgate child process with its output in a log file."""

    def __init__(self, binary, args, port, workdir, name):
        self.name = name
        self.port = port
        self.log_path = os.path.join(workdir, f"{name}.log")
        self.log = open(self.log_path, "wb")
        self.process = subprocess.Popen([binary, *args], stdout=self.log, stderr=subprocess.STDOUT,
                                        stdin=subprocess.DEVNULL)

    async def ready(self, timeout=15):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"{self.name} exited with {self.process.returncode}: {self.output()}")
            try:
                _, writer = await asyncio.open_connection("127.0.0.1", self.port)
                writer.close()
                return
            except OSError:
                await asyncio.sleep(0.05)
        raise RuntimeError(f"{self.name} not listening on {self.port}: {self.output()}")

    def output(self):
        with open(self.log_path, "rb") as f:
            return f.read().decode(errors="replace")[-2000:]

    def stop(self, timeout=15):
        """SIGTERM, then the exit status (None if it had to be killed)."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
                return None
        self.log.close()
        return self.process.returncode


class Backend:
    """A `websockets` server: echoes, and on special paths closes, pings or reports its request."""

    def __init__(self):
        self.closes = asyncio.Queue()
        self.server = None
        self.port = None

    @staticmethod
    def select_subprotocol(connection, offered):
        return next((p for p in SUBPROTOCOLS if p in offered), None)

    async def handler(self, ws):
        path = ws.request.path
        try:
            if path.startswith("/close/"):
                code = int(path.rsplit("/", 1)[1])
                await ws.close(code, "server bye")
                return
            if path == "/headers":
                await ws.send(json.dumps({k.lower(): v for k, v in ws.request.headers.raw_items()}))
            if path == "/ping":
                latency = await asyncio.wait_for(await ws.ping(b"server ping"), 5)
                await ws.send(f"pong after {latency:.3f}")
            async for message in ws:
                await ws.send(message)
        except ConnectionClosed:
            pass  # a close code other than 1000/1001 ends the loop this way; it is recorded below
        finally:
            await self.closes.put((path, ws.close_code, ws.close_reason))

    async def close_of(self, path):
        """The next recorded close of a connection to `path`; records of other paths are dropped."""
        while True:
            recorded = await self.closes.get()
            if recorded[0] == path:
                return recorded

    async def start(self):
        self.server = await serve(self.handler, "127.0.0.1", 0, max_size=None, ping_interval=None,
                                  select_subprotocol=self.select_subprotocol)
        self.port = self.server.sockets[0].getsockname()[1]

    async def stop(self):
        self.server.close()
        await self.server.wait_closed()


class Environment:
    def __init__(self, binary, workdir):
        self.binary = binary
        self.workdir = workdir
        self.backend = Backend()
        self.processes = []

    async def start(self):
        certs = os.path.join(self.workdir, "certs")
        subprocess.run(["bash", os.path.join(REPO, "certs", "generate.sh"), certs], check=True)
        self.ca = os.path.join(certs, "ca.pem")
        self.other_ca = os.path.join(certs, "other-ca.pem")
        await self.backend.start()
        self.proxy_port = free_port()
        self.proxy = self.spawn(["proxy", "--from", f"127.0.0.1:{self.proxy_port}",
                                 "--to", f"ws://127.0.0.1:{self.backend.port}/", "--workers", "1"],
                                self.proxy_port, "proxy")
        self.ws_port, self.wss_port, echo_port = free_port(), free_port(), free_port()
        config = {
            "workers": 2,
            "listeners": [
                {"name": "ws", "address": f"127.0.0.1:{self.ws_port}"},
                {"name": "wss", "address": f"127.0.0.1:{self.wss_port}",
                 "tls": {"certificates": [{"cert": "certs/server-chain.pem", "key": "certs/server.key"}]}},
            ],
            # 16 MiB messages: above the standard 1 MiB limit in both directions.
            "defaults": {"max_message_size": 0, "max_upstream_message_size": 0},
            "routes": [{"name": "echo", "path_prefix": "/echo", "upstream": f"ws://127.0.0.1:{echo_port}/"}],
            "builtin_echo": f"127.0.0.1:{echo_port}",
        }
        config_path = os.path.join(self.workdir, "gateway.json")
        with open(config_path, "w") as f:
            json.dump(config, f)
        self.gateway = self.spawn(["run", "--config", config_path], self.wss_port, "gateway")
        for process in self.processes:
            await process.ready()

    def spawn(self, args, port, name):
        process = Gateway(self.binary, args, port, self.workdir, name)
        self.processes.append(process)
        return process

    def tls(self, ca=None):
        return ssl.create_default_context(cafile=ca or self.ca)

    def connect(self, url, **kwargs):
        kwargs.setdefault("open_timeout", 10)
        kwargs.setdefault("max_size", None)
        return connect(url, proxy=None, **kwargs)


# (a) A websockets server behind `wsgate proxy`.

@test
async def proxied_echo_is_byte_exact(env):
    async with env.connect(f"ws://127.0.0.1:{env.proxy_port}/") as ws:
        for size in [0, 1, 125, 126, 65535, 65536, 1 << 20]:
            for message in (text_payload(size), binary_payload(size)):
                await ws.send(message)
                echoed = await ws.recv()
                assert type(echoed) is type(message) and echoed == message, f"{type(message).__name__} of {size} bytes"


@test
async def proxied_fragmented_message_arrives_whole(env):
    parts = ["first ", "second ✓ ", "third " * 1000]
    async with env.connect(f"ws://127.0.0.1:{env.proxy_port}/") as ws:
        await ws.send(iter(parts))
        assert await ws.recv() == "".join(parts)


@test
async def proxied_subprotocol_is_negotiated(env):
    async with env.connect(f"ws://127.0.0.1:{env.proxy_port}/", subprotocols=["unknown", "chat.v1"]) as ws:
        assert ws.subprotocol == "chat.v1", ws.subprotocol
        await ws.send("hello")
        assert await ws.recv() == "hello"
    async with env.connect(f"ws://127.0.0.1:{env.proxy_port}/") as ws:
        assert ws.subprotocol is None, ws.subprotocol


@test
async def proxied_client_close_code_reaches_server(env):
    async with env.connect(f"ws://127.0.0.1:{env.proxy_port}/client-close") as ws:
        await ws.send("x")
        await ws.recv()
        await ws.close(4000, "client bye")
        assert ws.close_code == 4000, ws.close_code
    # An earlier test's connection may be recorded by the backend after this one began (its client is done
    # once the gateway has closed toward it, before the backend has hung up): take this path's record.
    path, code, reason = await asyncio.wait_for(env.backend.close_of("/client-close"), 5)
    assert (path, code, reason) == ("/client-close", 4000, "client bye"), (path, code, reason)


@test
async def proxied_server_close_code_reaches_client(env):
    for code in (1000, 1001, 4002):
        async with env.connect(f"ws://127.0.0.1:{env.proxy_port}/close/{code}") as ws:
            try:
                await asyncio.wait_for(ws.recv(), 5)
                raise AssertionError("expected the server to close")
            except ConnectionClosed as closed:
                assert closed.rcvd is not None and closed.rcvd.code == code, closed
                assert closed.rcvd.reason == "server bye", closed.rcvd.reason


@test
async def proxied_server_ping_is_answered_by_client(env):
    async with env.connect(f"ws://127.0.0.1:{env.proxy_port}/ping") as ws:
        reply = await asyncio.wait_for(ws.recv(), 5)
        assert reply.startswith("pong after"), reply


@test
async def proxied_request_carries_forwarding_headers(env):
    async with env.connect(f"ws://127.0.0.1:{env.proxy_port}/headers",
                           additional_headers={"X-Request-Id": "abc"}) as ws:
        headers = json.loads(await ws.recv())
    assert headers.get("x-forwarded-for") == "127.0.0.1", headers
    assert headers.get("x-forwarded-proto") == "http", headers
    assert headers.get("x-real-ip") == "127.0.0.1", headers
    assert headers.get("x-forwarded-host") == f"127.0.0.1:{env.proxy_port}", headers
    assert headers.get("x-request-id") == "abc", headers
    assert "sec-websocket-extensions" not in headers, headers


@test
async def proxied_concurrent_clients(env):
    async def one(index):
        async with env.connect(f"ws://127.0.0.1:{env.proxy_port}/") as ws:
            for round_ in range(20):
                message = f"client {index} round {round_} " + "•" * index
                await ws.send(message)
                assert await ws.recv() == message
    await asyncio.gather(*(one(i) for i in range(50)))


# (b) websockets clients through `wsgate run` (ws and wss) to the built-in echo.

SIZES = [0, 125, 126, 65536, 16 << 20]


async def echo_sizes(env, url, ssl_context=None):
    async with env.connect(url, ssl=ssl_context) as ws:
        for size in SIZES:
            for message in (text_payload(size), binary_payload(size)):
                await ws.send(message)
                echoed = await asyncio.wait_for(ws.recv(), 60)
                assert type(echoed) is type(message) and echoed == message, f"{type(message).__name__} of {size} bytes"
        await ws.close()
        assert ws.close_code == 1000, ws.close_code


@test
async def client_over_ws_sizes_and_close(env):
    await echo_sizes(env, f"ws://127.0.0.1:{env.ws_port}/echo")


@test
async def client_over_wss_sizes_and_close(env):
    await echo_sizes(env, f"wss://localhost:{env.wss_port}/echo", env.tls())


@test
async def client_over_wss_by_ip_address(env):
    async with env.connect(f"wss://127.0.0.1:{env.wss_port}/echo", ssl=env.tls()) as ws:
        await ws.send("by address")
        assert await ws.recv() == "by address"


@test
async def client_rejects_untrusted_certificate(env):
    try:
        async with env.connect(f"wss://localhost:{env.wss_port}/echo", ssl=env.tls(env.other_ca)):
            pass
    except ssl.SSLCertVerificationError:
        return
    raise AssertionError("a certificate from an unrelated CA was accepted")


@test
async def client_unknown_path_is_404(env):
    from websockets.exceptions import InvalidStatus
    try:
        async with env.connect(f"ws://127.0.0.1:{env.ws_port}/nowhere"):
            pass
    except InvalidStatus as error:
        assert error.response.status_code == 404, error.response.status_code
        return
    raise AssertionError("upgrade to an unrouted path succeeded")


@test
async def gateways_exit_zero_on_sigterm(env):
    for process in env.processes:
        status = await asyncio.get_running_loop().run_in_executor(None, process.stop)
        assert status == 0, f"{process.name} exited with {status}: {process.output()}"


async def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--wsgate", default=os.path.join(REPO, ".build", "debug", "wsgate"))
    parser.add_argument("--timeout", type=float, default=120, help="seconds per test")
    options = parser.parse_args()
    passed = failed = 0
    with tempfile.TemporaryDirectory(prefix="wsgate-interop-") as workdir:
        env = Environment(options.wsgate, workdir)
        try:
            await env.start()
            for function in TESTS:
                started = time.monotonic()
                try:
                    await asyncio.wait_for(function(env), options.timeout)
                    passed += 1
                    print(f"PASS {function.__name__} ({time.monotonic() - started:.2f} s)", flush=True)
                except Exception as error:
                    failed += 1
                    print(f"FAIL {function.__name__}: {error!r}", flush=True)
                    traceback.print_exc(limit=3)
        except Exception as error:
            failed += 1
            print(f"FAIL setup: {error!r}", flush=True)
            traceback.print_exc()
        finally:
            for process in env.processes:
                process.stop()
            if env.backend.server is not None:
                await env.backend.stop()
    sys.stderr.flush()
    print(f"interop: {passed} passed, {failed} failed", flush=True)
    return 1 if failed or not passed else 0


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
