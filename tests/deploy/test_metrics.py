"""/metrics after a conversation and a report: what operators need, and nothing about a person.

The bot's own host, flows, actions and database (both kinds) carry a woman through a housing report
with her phone number and e-mail in the free text; then Prometheus' view is fetched over HTTP.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families

from bot.content.workshops import ANNOUNCEMENTS
from bot.i18n.catalog import Catalog
from bot.metrics import serve_metrics
from bot.outbox.announce import queue_announcement
from bot.store.outbox import Audience, Outbox
from tests.outbox.conftest import add_subscribers
from tests.reports.conftest import FREE_TEXT, Bot, Chat, bot, content, file_report
from tests.telegram.test_run_command import free_port

__all__ = ["bot", "content"]  # the report fixtures, used here as they are

ALLOWED_LABELS = {"channel", "kind", "where", "result", "verb", "le"}
CHANNELS = {"web", "telegram", "whatsapp"}


@pytest.fixture
def scrape(bot: Bot) -> Iterator[str]:
    """The metrics endpoint's address, serving this test's database."""
    port = free_port()
    server, _ = serve_metrics("127.0.0.1", port, Outbox(bot.store.engine).waiting_by_channel)
    yield f"http://127.0.0.1:{port}/metrics"
    server.shutdown()
    server.server_close()


async def test_metrics_count_the_work_and_know_nobody(bot: Bot, scrape: str) -> None:
    chat = Chat(bot, "4711987")
    await chat.welcome("ar")
    await chat.text("Ich heiße Amira Haddad, meine Nummer ist 0151 2345678")
    code = await file_report(chat)
    [report] = bot.mixed()
    add_subscribers(bot.store, 3)  # a broadcast waiting for three Telegram subscribers
    outbox = Outbox(bot.store.engine)
    now = datetime.now(UTC)
    announcement = outbox.create(
        kind="broadcast",
        text="Fachtag",
        audience=Audience((ANNOUNCEMENTS,), ()),
        created_by="cli:ki",
        now=now,
    )
    assert (
        queue_announcement(outbox, announcement, "Fachtag", {}, Catalog(), now, channels=("telegram",)) == 3
    )

    exposition = httpx.get(scrape).text
    families = {family.name: family for family in text_string_to_metric_families(exposition)}

    turns = {
        tuple(sorted(s.labels.items())): s.value
        for s in families["wegweiser_turns"].samples
        if s.name.endswith("_total")
    }
    assert sum(value for labels, value in turns.items() if ("channel", "web") in labels) >= 10
    replies = [s.value for s in families["wegweiser_replies"].samples if s.labels.get("channel") == "web"]
    assert replies and replies[0] > 0
    verbs = {s.labels["verb"] for s in families["wegweiser_database_statement_seconds"].samples}
    assert {"SELECT", "INSERT"} <= verbs
    waiting = {s.labels["channel"]: s.value for s in families["wegweiser_outbox_waiting"].samples}
    assert waiting == {"telegram": 3}
    assert not [s for s in families["wegweiser_errors"].samples if s.labels.get("where") == "metrics"]
    for name in (
        "wegweiser_errors",
        "wegweiser_rate_limited",
        "wegweiser_scheduler_lag_seconds",
        "wegweiser_outbox_results",
        "wegweiser_turn_seconds",
    ):
        assert name in families, name

    # Nothing about her: no id, no key, no words, no code, no report id, anywhere in the text.
    key = bot.store.key("web", "4711987")
    for secret in (
        "4711987",
        key,
        key[:12],
        code,
        code.replace(" ", ""),
        report.id,
        "Amira",
        "Haddad",
        "0151",
        "2345678",
    ):
        assert secret not in exposition, secret
    for word in re.findall(r"\w{5,}", FREE_TEXT):
        assert word not in exposition, word
    # Every label is one of a few names, with a value from a small fixed vocabulary.
    for family in families.values():
        for sample in family.samples:
            assert set(sample.labels) <= ALLOWED_LABELS, sample
            if "channel" in sample.labels:
                assert sample.labels["channel"] in CHANNELS
            for name in ("kind", "where", "result", "verb"):
                if name in sample.labels:
                    assert re.fullmatch(r"[A-Za-z_]{1,40}", sample.labels[name]), sample
