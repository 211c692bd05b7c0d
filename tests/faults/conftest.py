"""The bot as `wegweiser run` builds it, on SQLite and PostgreSQL, reached through the web chat's API."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from bot.cli.wiring import Wiring, build
from bot.config import Settings
from bot.web.app import create_app
from tests.faults.cluster import Cluster, private_cluster
from tests.faults.figures import FIGURES


@pytest.fixture
def wiring(database_url: str, tmp_path: Path) -> Iterator[Wiring]:
    built = build(Settings(database_url=database_url, _env_file=None))  # type: ignore[call-arg]
    yield built
    built.store.dispose()


@pytest.fixture
async def web(wiring: Wiring) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(wiring.host, wiring.store.ping)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://wegweiser.test") as client:
        yield client


@pytest.fixture(scope="session")
def cluster() -> Iterator[Cluster]:
    """A private PostgreSQL that tests stop and start."""
    with private_cluster() as running:
        yield running


@pytest.fixture
def outage_wiring(cluster: Cluster) -> Iterator[Wiring]:
    """The bot on a fresh database of the private cluster; the cluster runs again afterwards."""
    cluster.ensure_running()
    wiring = build(Settings(database_url=cluster.new_database(), _env_file=None))  # type: ignore[call-arg]
    yield wiring
    cluster.ensure_running()
    wiring.store.dispose()


async def say(client: httpx.AsyncClient, session: str, **body: Any) -> httpx.Response:
    # json.dumps escapes as ASCII, so a lone surrogate travels as `\ud800`, as a browser can send it.
    content = json.dumps({"session": session, **body})
    return await client.post("/api/chat", content=content, headers={"Content-Type": "application/json"})


async def welcome(client: httpx.AsyncClient, session: str, language: str = "de") -> None:
    for body in ({"start": True}, {"payload": f"welcome/choose_language={language}"}):
        assert (await say(client, session, **body)).status_code == 200
    reply = await say(client, session, payload="welcome/privacy=yes")
    assert "main_menu/choose" in msgids(reply)


def msgids(response: httpx.Response) -> list[str]:
    return [message["msgid"] for message in response.json()["messages"]]


def texts(response: httpx.Response) -> str:
    return "\n".join(message["text"] for message in response.json()["messages"])


async def eventually(predicate: Callable[[], bool], timeout: float, what: str) -> None:
    """Wait until `predicate` holds (checked every 0.1 s); fail saying `what` did not happen."""
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(f"not within {timeout} s: {what}")
        await asyncio.sleep(0.1)


def pytest_terminal_summary(terminalreporter: Any) -> None:
    if FIGURES:
        terminalreporter.section("Wegweiser fault suite")
        for figure in FIGURES:
            terminalreporter.write_line(figure)
