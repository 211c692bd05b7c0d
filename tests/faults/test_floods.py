"""Floods: one address cannot hammer the web chat, and new session ids get nobody past the report limits."""

from __future__ import annotations

from datetime import date

import httpx
import pytest

from bot.actions.registry import build_executor
from bot.actions.reports import report_actions
from bot.cli.wiring import Wiring
from bot.runtime.host import Host
from bot.store.reports import ReportStore
from bot.web.app import create_app
from bot.web.throttle import Throttle, client_address
from tests.faults.conftest import say, texts, welcome
from tests.faults.figures import note
from tests.reports.conftest import REPORT_STEPS

BURST = 8


def client(app: object, address: str) -> httpx.AsyncClient:
    transport = httpx.ASGITransport(app=app, client=(address, 40_000))  # type: ignore[arg-type]
    return httpx.AsyncClient(transport=transport, base_url="http://wegweiser.test")


@pytest.fixture
def throttled_app(wiring: Wiring) -> object:
    return create_app(
        wiring.host,
        wiring.store.ping,
        throttle=Throttle(per_minute=60, burst=BURST),
        trusted_proxies=frozenset({"127.0.0.1"}),
    )


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
async def test_one_address_is_slowed_down_whatever_session_ids_it_uses(throttled_app: object) -> None:
    async with client(throttled_app, "192.0.2.10") as flooder, client(throttled_app, "192.0.2.20") as other:
        replies = [await say(flooder, f"rotating-{n:04d}", start=True) for n in range(BURST + 4)]
        assert [reply.status_code for reply in replies] == [200] * BURST + [429] * 4
        refused = replies[-1]
        assert refused.headers["Retry-After"] == "1"
        assert "110" in texts(refused) and "116 016" in texts(refused), "a refusal still names the numbers"
        assert (await say(other, "another-0001", start=True)).status_code == 200, "other addresses go on"
    note(f"web flood from one address with rotating sessions: {BURST} answered, then 429 with the numbers")


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
async def test_behind_a_trusted_proxy_the_forwarded_address_counts(throttled_app: object) -> None:
    async with client(throttled_app, "127.0.0.1") as proxy, client(throttled_app, "198.51.100.7") as direct:
        for woman in range(BURST + 2):  # many women behind one proxy, each her own address
            forwarded = {"X-Forwarded-For": f"203.0.113.{woman}"}
            reply = await proxy.post(
                "/api/chat", json={"session": f"woman-{woman:04d}", "start": True}, headers=forwarded
            )
            assert reply.status_code == 200
        # an untrusted peer cannot pick a fresh address per request
        statuses = [
            (
                await direct.post(
                    "/api/chat",
                    json={"session": f"spoof-{n:05d}", "start": True},
                    headers={"X-Forwarded-For": f"203.0.113.{100 + n}"},
                )
            ).status_code
            for n in range(BURST + 1)
        ]
        assert statuses[-1] == 429


def test_the_client_address_is_read_from_trusted_proxies_only() -> None:
    proxies = {"127.0.0.1", "10.1.1.1"}
    assert client_address("198.51.100.7", {"x-forwarded-for": "1.2.3.4"}, proxies) == "198.51.100.7"
    assert (
        client_address("127.0.0.1", {"x-forwarded-for": "6.6.6.6, 1.2.3.4, 10.1.1.1"}, proxies) == "1.2.3.4"
    )
    assert client_address("127.0.0.1", {}, proxies) == "127.0.0.1"


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
async def test_a_report_flood_from_new_sessions_stops_at_the_overall_guard(wiring: Wiring) -> None:
    reports = ReportStore.of(wiring.store)
    actions = report_actions(wiring.content, wiring.catalog, reports, reports_per_day_overall=4)
    host = Host(wiring.engine, wiring.store, build_executor(actions))
    app = create_app(host, wiring.store.ping)
    async with client(app, "192.0.2.30") as web:
        for number in range(7):
            session = f"flood-session-{number:03d}"
            await welcome(web, session)
            await say(web, session, payload="main_menu/choose=report")
            for payload in REPORT_STEPS:
                await say(web, session, payload=payload)
            await say(web, session, payload="report/confirm=send")
    reports.mix(today=date.today(), force=True)  # reports wait in a pool before they are stored
    assert len(reports.reports()) == 4, "four reports a day overall in this test; the rest were refused"
    note("report flood from 7 new sessions, overall guard 4: 4 stored, 3 refused")
