"""A database outage on WhatsApp: she still gets the emergency numbers in her language at once, and
what she wrote is taken when Meta delivers it again after the database is back."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator

import pytest

from tests.fakes.graph_api import FakeGraph
from tests.faults.cluster import Cluster, private_cluster
from tests.whatsapp.conftest import running, settings_for

WA_ID = "963944000111"


@pytest.fixture(scope="module")
def cluster() -> Iterator[Cluster]:
    with private_cluster() as started:
        yield started


async def test_the_numbers_during_an_outage_and_her_message_taken_afterwards(
    cluster: Cluster, fake: FakeGraph
) -> None:
    async with running(fake, settings_for(fake, cluster.url, _env_file=None)) as stack:
        await stack.say(WA_ID, "مرحبا")
        await stack.press(WA_ID, "welcome/choose_language=ar")
        await stack.press(WA_ID, "welcome/privacy=yes")
        before = fake.sent_count(WA_ID)
        cluster.stop()
        try:
            event = fake.message_event(WA_ID, "text", {"text": {"body": "أريد طبيبة"}}, "wamid.during-outage")
            fake.last_inbound[WA_ID] = fake.now()
            answer = await fake.post(event)
            assert answer.status_code == 503  # Meta delivers it again later
            for _ in range(1200):  # a loaded machine: up to a minute
                if fake.sent_count(WA_ID) > before:
                    break
                await asyncio.sleep(0.05)
            told = " ".join(m.text for m in fake.messages_to(WA_ID)[before:])
            assert "110" in told and "116 016" in told
        finally:
            cluster.start()
        cluster.wait_until_up(timeout=30)
        helped = fake.sent_count(WA_ID)
        assert (await fake.post(event)).status_code == 200  # Meta's redelivery
        await stack.settle()
        assert fake.sent_count(WA_ID) > helped
