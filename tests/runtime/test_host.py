"""The host under load: many women at once share database trips, and nobody's turn is lost or mixed up."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event

from bot.actions.registry import build_executor
from bot.cli.wiring import content_menus
from bot.content import load_content
from bot.engine.commands import load_commands
from bot.engine.engine import Engine
from bot.engine.flows import load_flows
from bot.engine.model import Input
from bot.i18n.catalog import Catalog
from bot.runtime.host import Host
from bot.store import Store

ROOT = Path(__file__).resolve().parents[2]
FLOWS = ROOT / "flows"
WOMEN = 30


@pytest.fixture
def host(store: Store) -> Host:
    engine = Engine(
        load_flows(FLOWS),
        load_commands(FLOWS / "commands.yml"),
        Catalog(),
        content_menus(load_content(ROOT / "content")),
    )
    return Host(engine, store, build_executor([]))


def count_loads(store: Store) -> list[int]:
    """How many times conversations were loaded, seen where SQLAlchemy hands SQL to the driver."""
    loads: list[int] = []

    def seen(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        if "FROM contacts LEFT OUTER JOIN sessions" in statement:
            loads.append(1)

    event.listen(store.engine, "before_cursor_execute", seen)
    return loads


async def first_steps(host: Host, woman: int) -> list[str]:
    said = []
    for user_input in (
        Input.of_text("/start"),
        Input.of_payload("welcome/choose_language=uk"),
        Input.of_payload("welcome/privacy=yes"),
    ):
        said += [message.msgid for message in await host.handle("web", str(woman), user_input)]
    return said


async def test_women_writing_at_once_share_database_trips_and_all_arrive(host: Host, store: Store) -> None:
    loads = count_loads(store)

    answers = await asyncio.gather(*(first_steps(host, woman) for woman in range(WOMEN)))

    assert all(said == answers[0] for said in answers), "every woman got the same first steps"
    assert 0 < len(loads) < 3 * WOMEN, "turns that arrived together were loaded together"
    saved = store.load_many([("web", str(woman)) for woman in range(WOMEN)])
    assert all(c is not None and c.language == "uk" and c.consent for c in saved)


async def test_her_own_messages_sent_at_once_are_still_taken_one_after_another(
    host: Host, store: Store
) -> None:
    await first_steps(host, 7)
    inputs = [
        Input.of_text("/menu"),
        Input.of_text("/sprache"),
        Input.of_payload("choose_language/choose=ar"),
    ]

    answers = await asyncio.gather(*(host.handle("web", "7", user_input) for user_input in inputs))

    assert [next(m.msgid for m in said) for said in answers] == [
        "main_menu/choose",
        "choose_language/choose",
        "choose_language/done",  # understood, because /sprache came before it
    ]
    stored = store.load("web", "7")
    assert stored is not None and stored.language == "ar"
