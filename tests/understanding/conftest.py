"""One real understanding (the shipped data, the trained model from the cache) for all tests here."""

from __future__ import annotations

import pytest

from bot.cli.wiring import content_menus
from bot.config import PROJECT_ROOT
from bot.content import load_content
from bot.engine.commands import load_commands
from bot.engine.engine import Engine
from bot.engine.flows import load_flows
from bot.understanding.listener import Listener, start
from tests.engine.conftest import FLOWS, marked_catalog


@pytest.fixture(scope="session")
def listener() -> Listener:
    return start()


@pytest.fixture(scope="session")
def hearing_engine(listener: Listener) -> Engine:
    """The real flows and content menus, a catalog that marks each language, and the real understanding."""
    languages = ("en", "ar", "fa", "ps", "uk", "ru", "tr", "ku", "ti", "so", "fr")
    return Engine(
        load_flows(FLOWS),
        load_commands(FLOWS / "commands.yml"),
        marked_catalog(languages),
        content_menus(load_content(PROJECT_ROOT / "content")),
        understanding=listener,
    )
