"""A real host on the real flows and content, with the real report actions and a real database."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import pytest

from bot.actions.registry import build_executor
from bot.actions.reports import report_actions
from bot.cli.wiring import content_menus
from bot.content import Content, load_content
from bot.engine.commands import load_commands
from bot.engine.engine import Engine
from bot.engine.flows import load_flows
from bot.engine.model import Input, Message
from bot.i18n.catalog import Catalog
from bot.reports.model import Report
from bot.runtime.host import Host
from bot.store import Store
from bot.store.reports import ReportStore

ROOT = Path(__file__).resolve().parents[2]
FLOWS = ROOT / "flows"
TODAY = date(2026, 11, 25)
PEPPER = b"test-pepper"


@pytest.fixture(scope="session")
def content() -> Content:
    return load_content(ROOT / "content")


@dataclass
class Bot:
    host: Host
    store: Store
    reports: ReportStore

    def mixed(self) -> list[Report]:
        """The reports after the pool was mixed in (as the scheduler does when enough have come)."""
        self.reports.mix(today=TODAY, force=True)
        return self.reports.reports()


@pytest.fixture
def bot(store: Store, content: Content) -> Bot:
    """The host as `wiring.build` makes it, with the report actions on a fixed day."""
    catalog = Catalog()
    engine = Engine(load_flows(FLOWS), load_commands(FLOWS / "commands.yml"), catalog, content_menus(content))
    reports = ReportStore.of(store)
    executor = build_executor(report_actions(content, catalog, reports, pepper=PEPPER, today=lambda: TODAY))
    return Bot(Host(engine, store, executor), store, reports)


@dataclass
class Chat:
    """One woman's chat with the bot: what she sends and the bot's last answers."""

    bot: Bot
    platform_id: str
    channel: str = "web"
    last: list[Message] = field(default_factory=list)

    async def send(self, user_input: Input) -> list[Message]:
        self.last = await self.bot.host.handle(self.channel, self.platform_id, user_input)
        return self.last

    async def tap(self, payload: str) -> list[Message]:
        assert payload in self.payloads(), f"{payload} not offered; buttons: {self.payloads()}"
        return await self.send(Input.of_payload(payload))

    async def text(self, text: str) -> list[Message]:
        return await self.send(Input.of_text(text))

    def payloads(self) -> list[str]:
        return [button.payload for message in self.last for button in message.buttons]

    def msgids(self) -> list[str]:
        return [message.msgid for message in self.last]

    def said(self, msgid: str) -> Message:
        return next(message for message in self.last if message.msgid == msgid)

    def session(self) -> dict[str, object]:
        stored = self.bot.store.load(self.channel, self.platform_id)
        assert stored is not None and stored.state is not None
        return stored.state

    async def welcome(self, language: str = "de") -> None:
        await self.send(Input(kind="start"))
        await self.tap(f"welcome/choose_language={language}")
        await self.tap("welcome/privacy=yes")
        assert "main_menu/choose" in self.msgids()


# The answers of a complete report, in the order the flow asks for them: one tap each.
REPORT_STEPS: Sequence[str] = (
    "report/intro=new",
    "report/ask_form=no_answer",
    "report/ask_stage=viewing",
    "report/ask_actor=private_landlord",
    "report/ask_place=dueren",
    "report/ask_when=m1",
    "report/ask_grounds=religion",
)
FREE_TEXT = (
    "Nach meinem Namen kam sofort eine Absage. Rufen Sie mich an: 0151 / 234 56 78, mail fatima.k@web.de"
)


async def file_report(chat: Chat, text: str = FREE_TEXT) -> str:
    """Go from the main menu through a whole report; returns the receipt code shown."""
    await chat.tap("main_menu/choose=report")
    for payload in REPORT_STEPS:
        await chat.tap(payload)
    assert "action_report_summary/heading" in chat.msgids()
    await chat.tap("report/confirm=write")
    await chat.text(text)
    assert "action_report_summary/heading" in chat.msgids()
    await chat.tap("report/confirm=send")
    assert "action_report_submit/thanks" in chat.msgids()
    return receipt_code(chat.said("action_report_submit/thanks").text)


def receipt_code(text: str) -> str:
    """The code on the last line of the thanks (isolated as a number in right-to-left languages)."""
    return text.strip().splitlines()[-1].strip("\u2066\u2068\u2069")
