"""`wegweiser actions`: the same actions over Rasa's action-server protocol, on real HTTP.

Request and response bodies follow Rasa's documented action-server API:
POST /webhook {"next_action", "sender_id", "tracker": {...}, "domain": {...}, "version"}
-> {"events": [...], "responses": [...]}.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from bot.cli.known import ACTION_NAMES
from bot.cli.wiring import Wiring, build
from bot.config import Settings
from bot.web.action_server import create_action_server
from tests.fakes.asgi_server import serve


@pytest.fixture
def wiring(tmp_path: Path) -> Wiring:
    return build(Settings(database_url=f"sqlite:///{tmp_path / 'w.db'}", _env_file=None))  # type: ignore[call-arg]


@pytest.fixture
async def server(wiring: Wiring) -> AsyncIterator[str]:
    running = await serve(create_action_server(wiring.executor))
    yield running.url
    await running.stop()


def action_call(action: str, slots: dict[str, Any]) -> dict[str, Any]:
    return {
        "next_action": action,
        "sender_id": "rasa-conversation-1",
        "tracker": {
            "sender_id": "rasa-conversation-1",
            "conversation_id": "rasa-conversation-1",
            "slots": slots,
            "latest_message": {
                "text": "Beratung",
                "intent": {"name": "find_counselling", "confidence": 1.0},
                "entities": [],
            },
            "latest_event_time": 1732530000.0,
            "followup_action": None,
            "paused": False,
            "events": [],
            "latest_input_channel": "rest",
            "active_loop": {},
            "latest_action": {"action_name": "action_listen"},
            "latest_action_name": "action_listen",
        },
        "domain": {"version": "3.1", "slots": {}, "responses": {}, "actions": [action]},
        "version": "3.21.0",
    }


def test_every_name_flows_may_use_is_a_registered_action(wiring: Wiring) -> None:
    assert {action.name for action in wiring.executor.list_actions()} == set(ACTION_NAMES)


async def test_find_offers_answers_in_her_language_over_http(server: str) -> None:
    async with httpx.AsyncClient(base_url=server) as client:
        response = await client.post(
            "/webhook",
            json=action_call(
                "action_find_offers", {"topic": "violence", "language": "de", "municipality": "dueren"}
            ),
        )
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"events", "responses"}
    assert {"event": "slot", "timestamp": None, "name": "offers_more", "value": True} in body[
        "events"
    ] or any(event["name"] == "offers_more" for event in body["events"])
    texts = [message["text"] for message in body["responses"]]
    assert texts[0].startswith("🛡️ Beratung zum Thema")
    assert any("02421 17355" in text for text in texts), "Frauen helfen Frauen Düren is offered"
    assert all(message["buttons"] == [] for message in body["responses"])
    venues = [message["custom"]["venue"] for message in body["responses"] if "venue" in message["custom"]]
    assert venues and all({"latitude", "longitude", "title", "address"} <= set(venue) for venue in venues)


async def test_unknown_action_and_bad_bodies_get_rasa_style_errors(server: str) -> None:
    async with httpx.AsyncClient(base_url=server) as client:
        unknown = await client.post("/webhook", json=action_call("action_nonexistent", {}))
        broken = await client.post(
            "/webhook", content=b"{not json", headers={"content-type": "application/json"}
        )
        listed = await client.get("/actions")
        health = await client.get("/health")
    assert unknown.status_code == 404
    assert unknown.json()["action_name"] == "action_nonexistent"
    assert broken.status_code == 400 and "JSON" in broken.json()["error"]
    assert {item["name"] for item in listed.json()} == set(ACTION_NAMES)
    assert health.json() == {"status": "ok"}


async def test_emergency_action_lists_the_numbers(server: str) -> None:
    async with httpx.AsyncClient(base_url=server) as client:
        response = await client.post(
            "/webhook", json=action_call("action_show_emergency", {"language": "de"})
        )
    [lead] = response.json()["responses"]  # one short message: the three numbers first
    for number in ("110", "112", "116 016"):
        assert number in lead["text"]
    assert [button["payload"] for button in lead["buttons"]] == ["emergency_more"]
    async with httpx.AsyncClient(base_url=server) as client:
        response = await client.post(
            "/webhook", json=action_call("action_show_emergency_details", {"language": "de"})
        )
    text = "\n".join(message["text"] for message in response.json()["responses"])
    for number in ("110", "112", "116 016", "0800 40 40 020", "02421 17355"):
        assert number in text
