"""The workshops flow through the real engine, host and actions: list, remind, stop, calendar, venue."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from rasa_sdk.executor import ActionExecutor

from bot.actions.registry import build_executor
from bot.actions.workshops import build_workshop_actions, workshop_choices
from bot.content.workshops import ANNOUNCEMENTS, Workshops, topic_of
from bot.engine.commands import load_commands
from bot.engine.engine import Engine
from bot.engine.flows import load_flows
from bot.engine.model import Input, Message
from bot.i18n.catalog import Catalog
from bot.runtime.host import Host
from bot.store import Store
from tests.workshops.conftest import workshops_at

FLOWS = Path(__file__).resolve().parents[2] / "flows"
WORKSHOP = "frauen_workshop_2027"


def host_for(store: Store, workshops: Workshops, flows: Path) -> tuple[Host, ActionExecutor]:
    catalog = Catalog()
    engine = Engine(
        load_flows(flows),
        load_commands(flows / "commands.yml"),
        catalog,
        {"workshops": workshop_choices(workshops)},
    )
    executor = build_executor(build_workshop_actions(workshops, catalog, store))
    return Host(engine, store, executor), executor


@pytest.fixture
def sqlite_store(tmp_path: Path) -> Iterator[Store]:
    store = Store(f"sqlite:///{tmp_path / 'w.db'}")
    store.upgrade()
    yield store
    store.dispose()


async def to_workshops(host: Host, channel: str, platform_id: str, language: str = "de") -> list[Message]:
    await host.handle(channel, platform_id, Input(kind="start"))
    await host.handle(channel, platform_id, Input.of_payload(f"lang:{language}"))
    await host.handle(channel, platform_id, Input.of_payload("welcome/privacy=yes"))
    return await host.handle(channel, platform_id, Input.of_payload("main_menu/choose=workshops"))


def payloads(messages: list[Message]) -> set[str]:
    return {button.payload for message in messages for button in message.buttons}


async def test_list_remind_stop_calendar_and_venue(sqlite_store: Store, tmp_path: Path) -> None:
    host, _ = host_for(sqlite_store, workshops_at(timedelta(days=30)), FLOWS)
    shown = await to_workshops(host, "telegram", "42")
    text = "\n".join(message.text for message in shown)
    assert (
        "Kreishaus Düren, Bismarckstraße 16, 52348 Düren" in text and "العربية" in text and "Beispiel" in text
    )
    assert {
        "workshops/what=remind",
        "workshops/what=calendar",
        "workshops/what=venue",
        "workshops/what=all",
    } <= payloads(shown)
    assert "workshops/what=stop" not in payloads(shown)

    answer = await host.handle("telegram", "42", Input.of_payload("workshops/what=remind"))
    assert sqlite_store.subscriptions("telegram", "42") == [topic_of(WORKSHOP)]
    assert "workshops/what=stop" in payloads(answer) and "workshops/what=remind" not in payloads(answer)

    answer = await host.handle("telegram", "42", Input.of_payload("workshops/what=venue"))
    venues = [message.venue for message in answer if message.venue]
    assert venues and venues[0].title == "Kreishaus Düren" and venues[0].latitude == pytest.approx(50.8)

    answer = await host.handle("telegram", "42", Input.of_payload("workshops/what=all"))
    assert sorted(sqlite_store.subscriptions("telegram", "42")) == [ANNOUNCEMENTS, topic_of(WORKSHOP)]
    answer = await host.handle("telegram", "42", Input.of_payload("workshops/what=stop"))
    answer = await host.handle("telegram", "42", Input.of_payload("workshops/what=all_off"))
    assert sqlite_store.subscriptions("telegram", "42") == []
    assert "workshops/what=remind" in payloads(answer)


async def test_the_calendar_file_rides_on_the_message(sqlite_store: Store, tmp_path: Path) -> None:
    _, executor = host_for(sqlite_store, workshops_at(timedelta(days=30)), FLOWS)
    result = await executor.run(
        {
            "next_action": "action_workshop_calendar",
            "sender_id": "telegram:42",
            "tracker": {
                "sender_id": "telegram:42",
                "slots": {"workshop": WORKSHOP, "language": "ar"},
                "events": [],
            },
            "domain": {},
        }
    )
    document = result.responses[0]["custom"]["document"]
    assert document["filename"] == f"{WORKSHOP}.ics" and document["mime_type"] == "text/calendar"
    assert "BEGIN:VEVENT" in document["content"] and "مايو" not in document["content"].split("DTSTART")[0]


async def test_her_language_and_the_web_chat(sqlite_store: Store, tmp_path: Path) -> None:
    host, _ = host_for(sqlite_store, workshops_at(timedelta(days=30)), FLOWS)
    shown = await to_workshops(host, "web", "browser-7", "uk")
    assert any("2026" in message.text or "2027" in message.text for message in shown)
    months = (
        "січня",
        "лютого",
        "березня",
        "квітня",
        "травня",
        "червня",
        "липня",
        "серпня",
        "вересня",
        "жовтня",
        "листопада",
        "грудня",
    )
    assert any(
        month in message.text for message in shown for month in months
    )  # Babel writes the date in Ukrainian
    assert "workshops/what=remind" not in payloads(shown) and "workshops/what=calendar" in payloads(shown)


async def test_nothing_planned_offers_all_announcements(sqlite_store: Store, tmp_path: Path) -> None:
    past = workshops_at(timedelta(days=-3))
    host, _ = host_for(sqlite_store, past, FLOWS)
    shown = await to_workshops(host, "telegram", "43")
    assert "workshops/what=all" not in payloads(shown)
    assert "workshops/nothing_planned=all" in payloads(shown)
    await host.handle("telegram", "43", Input.of_payload("workshops/nothing_planned=all"))
    assert sqlite_store.subscriptions("telegram", "43") == [ANNOUNCEMENTS]


async def test_a_past_workshop_cannot_be_chosen(sqlite_store: Store, tmp_path: Path) -> None:
    now = datetime.now(UTC)
    coming = workshops_at(timedelta(days=10)).workshops[0]
    gone = coming.model_copy(
        update={
            "id": "old",
            "starts_at": now - timedelta(days=9),
            "ends_at": now - timedelta(days=9) + timedelta(hours=3),
        }
    )
    later = coming.model_copy(
        update={
            "id": "later",
            "starts_at": now + timedelta(days=40),
            "ends_at": now + timedelta(days=40, hours=3),
        }
    )
    host, _ = host_for(sqlite_store, Workshops(workshops=[gone, coming, later]), FLOWS)
    shown = await to_workshops(host, "telegram", "44")
    assert payloads(shown) >= {f"workshops/pick={WORKSHOP}", "workshops/pick=later"}
    assert "workshops/pick=old" not in payloads(shown)
    answer = await host.handle("telegram", "44", Input.of_payload("workshops/pick=old"))
    assert "workshops/what=remind" not in payloads(
        answer
    )  # a stale button is answered with the question again
