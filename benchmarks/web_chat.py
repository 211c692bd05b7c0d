"""Web chat round trips per second through HTTP, the engine and the database (SQLite and PostgreSQL).

    .venv/bin/python -m benchmarks.web_chat [--seconds 10] [--clients 16] [--postgres URL]

The real bot (`python -m bot run`) runs in its own process; this process plays many women at
once, each walking a conversation (start, language, consent, menu, topic, place, results ...).
Beside it, in the same run and with the same client, a minimal Starlette echo app on uvicorn
shows what the HTTP stack alone can do on this machine.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import secrets
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.databases import drop_database, fresh_database

ROOT = Path(__file__).resolve().parents[1]

ECHO_APP = """
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

async def chat(request: Request) -> JSONResponse:
    body = await request.json()
    text = body.get("text") or body.get("payload") or ""
    return JSONResponse({"messages": [{"text": text, "buttons": []}]})

app = Starlette(routes=[Route("/api/chat", chat, methods=["POST"])])
"""

CONVERSATION = [
    {"start": True},
    {"payload": "welcome/choose_language=ar"},
    {"payload": "welcome/privacy=yes"},
    {"payload": "main_menu/choose=counselling"},
    {"text": "2"},
    {"payload": "find_counselling/ask_place=dueren"},
    {"payload": "find_counselling/after_offers=other_topic"},
    {"text": "notfall"},
    {"payload": "find_counselling/ask_topic=violence"},
    {"payload": "menu"},
]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start(command: list[str], env: dict[str, str], port: int) -> subprocess.Popen[bytes]:
    process = subprocess.Popen(command, env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return process
        except OSError:
            if process.poll() is not None:
                message = process.stderr.read().decode() if process.stderr else "server died"
                raise RuntimeError(message) from None
            time.sleep(0.1)
    process.kill()
    raise RuntimeError("server did not start")


class Connection:
    """A bare keep-alive HTTP/1.1 client: httpx would be the bottleneck, not the server."""

    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.reader, self.writer = reader, writer

    @staticmethod
    async def open(port: int) -> Connection:
        return Connection(*await asyncio.open_connection("127.0.0.1", port))

    async def post(self, path: str, body: bytes) -> bytes:
        self.writer.write(
            f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
            f"Content-Length: {len(body)}\r\n\r\n".encode()
            + body
        )
        status = await self.reader.readline()
        length = 0
        while (line := await self.reader.readline()) not in (b"\r\n", b""):
            name, _, value = line.decode("latin-1").partition(":")
            if name.lower() == "content-length":
                length = int(value)
        payload = await self.reader.readexactly(length)
        if b" 200 " not in status:
            raise RuntimeError(f"{status!r} {payload[:200]!r}")
        return payload

    def close(self) -> None:
        self.writer.close()


async def woman(port: int, stop_at: float, latencies: list[float]) -> int:
    connection = await Connection.open(port)
    sent = 0
    try:
        while time.perf_counter() < stop_at:
            session = secrets.token_urlsafe(12)
            for step in CONVERSATION:
                began = time.perf_counter()
                await connection.post("/api/chat", json.dumps({"session": session, **step}).encode())
                latencies.append(time.perf_counter() - began)
                sent += 1
                if time.perf_counter() >= stop_at:
                    break
    finally:
        connection.close()
    return sent


async def load(port: int, seconds: float, clients: int) -> tuple[float, float, float]:
    await woman(port, time.perf_counter() + 0.5, [])  # warm up
    latencies: list[float] = []
    began = time.perf_counter()
    counts = await asyncio.gather(*(woman(port, began + seconds, latencies) for _ in range(clients)))
    elapsed = time.perf_counter() - began
    latencies.sort()
    p99 = latencies[max(0, int(len(latencies) * 0.99) - 1)]
    return sum(counts) / elapsed, statistics.median(latencies) * 1000, p99 * 1000


def run_case(
    name: str, command: list[str], env: dict[str, str], port: int, args: argparse.Namespace
) -> tuple[str, float, float, float]:
    process = start(command, env, port)
    try:
        rate, p50, p99 = asyncio.run(load(port, args.seconds, args.clients))
    finally:
        process.terminate()
        process.wait(10)
    return name, rate, p50, p99


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument(
        "--postgres",
        default=os.environ.get(
            "WEGWEISER_BENCH_POSTGRES", "postgresql+psycopg://postgres@127.0.0.1/postgres"
        ),
        help="a server URL; the benchmark makes a fresh database there for its run",
    )
    args = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory() as folder:
        echo = Path(folder) / "echo_app.py"
        echo.write_text(ECHO_APP)
        port = free_port()
        uvicorn = [sys.executable, "-m", "uvicorn", "--app-dir", folder, "echo_app:app", "--port", str(port)]
        echo_command = [*uvicorn, "--log-level", "warning", "--no-access-log"]
        rows.append(run_case("echo baseline (Starlette)", echo_command, dict(os.environ), port, args))
        cases = [("wegweiser on SQLite", f"sqlite:///{folder}/bench.db")]
        try:
            cases.append(("wegweiser on PostgreSQL", fresh_database(args.postgres)))
        except Exception as error:  # no server here: say so and go on
            print(f"wegweiser on PostgreSQL: not run ({type(error).__name__})")
        for label, url in cases:
            port = free_port()
            env = {
                **os.environ,
                "WEGWEISER_DATABASE_URL": url,
                "WEGWEISER_PORT": str(port),
                "WEGWEISER_LOG_LEVEL": "WARNING",
                "WEGWEISER_WEB_REQUESTS_PER_MINUTE": "0",  # all clients share one address here
                # a server database is production: it needs both secrets
                "WEGWEISER_SECRET_KEY": secrets.token_urlsafe(32),
                "WEGWEISER_REPORT_PEPPER": secrets.token_urlsafe(32),
            }
            try:
                rows.append(run_case(label, [sys.executable, "-m", "bot", "run"], env, port, args))
            except RuntimeError as error:
                print(f"{label}: not run ({str(error).strip().splitlines()[-1]})")
        for _, url in cases:
            if url.startswith("postgresql"):
                drop_database(args.postgres, url)
    print(f"{args.clients} concurrent clients, {args.seconds:.0f} s each")
    print(f"{'run':<28} {'round trips/s':>14} {'p50 ms':>8} {'p99 ms':>8}")
    for name, rate, p50, p99 in rows:
        print(f"{name:<28} {rate:>14,.0f} {p50:>8.1f} {p99:>8.1f}")
    for name, rate, _, _ in rows[1:]:
        print(f"{name} / echo: {rate / rows[0][1]:.2f} (target: >= 500 round trips/s)")


if __name__ == "__main__":
    main()
