"""/health says whether the bot can do its work: the database takes a write (a read-only or full database
used to answer 200), and each messenger's state, without any secret."""

from __future__ import annotations

import httpx
from sqlalchemy import make_url
from telegram import Bot

from bot.channels.telegram import TelegramHealth
from bot.channels.whatsapp.health import WhatsAppHealth
from bot.store import Store
from bot.store.database import open_database
from bot.store.health import writable
from bot.web.app import ChannelState, create_app
from tests.fakes.graph_api import PHONE_ID, FakeGraph
from tests.fakes.graph_api import TOKEN as GRAPH_TOKEN
from tests.fakes.telegram_api import TOKEN, FakeTelegram
from tests.telegram.test_run_command import free_port
from tests.web.test_api import RecordingHost


def _read_only(url: str) -> str:
    """The same database, opened so that it answers reads and refuses every write."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        return f"sqlite:///file:{parsed.database}?mode=ro&uri=true"
    options = parsed.query.get("options", "")
    return parsed.update_query_dict(
        {"options": f"{options} -cdefault_transaction_read_only=on".strip()}
    ).render_as_string(hide_password=False)


async def _health(ping: object, channels: dict[str, ChannelState] | None = None) -> httpx.Response:
    app = create_app(RecordingHost([]), ping, channels=channels)  # type: ignore[arg-type]
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://w.test") as client:
        return await client.get("/health")


async def test_a_database_that_cannot_write_is_unhealthy(database_url: str) -> None:
    Store(database_url).upgrade()
    read_only = Store(_read_only(database_url))
    assert read_only.ping(), "reads still answer: the old check said 200 here"
    assert not writable(read_only.engine)
    answer = await _health(lambda: writable(read_only.engine))
    assert answer.status_code == 503
    assert answer.json() == {"status": "unavailable", "database": "cannot write", "channels": {"web": "ok"}}
    read_only.dispose()

    engine = open_database(database_url)
    ok = await _health(lambda: writable(engine))
    assert ok.status_code == 200 and ok.json()["status"] == "ok"
    assert writable(engine) and writable(engine)  # the probe leaves nothing behind to collide with
    engine.dispose()


async def test_telegram_state_is_asked_once_a_minute_and_never_shows_the_token() -> None:
    async with FakeTelegram() as fake:
        async with Bot(TOKEN, base_url=fake.base_url) as bot:
            health = TelegramHealth(bot)
            first = await _health(lambda: True, {"telegram": health.state})
            second = await _health(lambda: True, {"telegram": health.state})
        asked = [call for call in fake.calls if call.method == "getMe"]
    assert first.status_code == 200 and first.json()["channels"] == {"web": "ok", "telegram": "ok"}
    assert second.json()["status"] == "ok"
    assert len(asked) == 2  # once when the bot started (initialize), once for both health checks
    assert TOKEN not in first.text and TOKEN.split(":")[1] not in first.text


async def test_a_refused_token_and_an_unreachable_telegram_are_degraded_not_down() -> None:
    async with FakeTelegram() as fake:
        wrong = TelegramHealth(Bot("999:not-the-token", base_url=fake.base_url))
        answer = await _health(lambda: True, {"telegram": wrong.state})
    assert answer.status_code == 200
    assert answer.json() == {
        "status": "degraded",
        "database": "ok",
        "channels": {"web": "ok", "telegram": "unauthorized"},
    }
    assert "not-the-token" not in answer.text

    gone = TelegramHealth(Bot(TOKEN, base_url=f"http://127.0.0.1:{free_port()}/bot"), timeout=3)
    answer = await _health(lambda: True, {"telegram": gone.state})
    assert answer.status_code == 200 and answer.json()["channels"]["telegram"] == "unreachable"


async def test_whatsapp_token_state_against_the_graph_api() -> None:
    async with FakeGraph() as graph:
        session = httpx.AsyncClient(base_url=graph.api_url)
        health = WhatsAppHealth(session, PHONE_ID, GRAPH_TOKEN)
        answer = await _health(lambda: True, {"whatsapp": health.state})
        assert answer.status_code == 200 and answer.json()["channels"]["whatsapp"] == "ok"
        assert GRAPH_TOKEN not in answer.text and PHONE_ID not in answer.text
        graph.revoked = True
        revoked = WhatsAppHealth(session, PHONE_ID, GRAPH_TOKEN)
        answer = await _health(lambda: True, {"whatsapp": revoked.state})
        assert answer.json() == {
            "status": "degraded",
            "database": "ok",
            "channels": {"web": "ok", "whatsapp": "unauthorized"},
        }
        assert (await health.state()) == "ok"  # asked once a minute: the first answer stands until then
        await session.aclose()
    async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{free_port()}/v23.0") as nowhere:
        assert await WhatsAppHealth(nowhere, PHONE_ID, GRAPH_TOKEN).state() == "unreachable"
