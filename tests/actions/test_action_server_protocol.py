"""ActionFindOffers behind rasa-sdk's ActionExecutor, fed the request body Rasa posts to an action server.

The payload follows Rasa's documented action-server API (`next_action`, `sender_id`, `tracker`, `domain`,
`version`); the answer must have the documented `events` and `responses` shape.
"""

from __future__ import annotations

import json
from typing import Any

from bot.actions.offers import ActionFindOffers
from bot.actions.registry import build_executor
from bot.config import PROJECT_ROOT
from bot.content import load_content
from bot.i18n.catalog import Catalog

RESPONSE_KEYS = {"text", "buttons", "elements", "custom", "template", "response", "image", "attachment"}


def rasa_request(slots: dict[str, Any]) -> dict[str, Any]:
    sender = "2687378567977106"
    return {
        "next_action": "action_find_offers",
        "sender_id": sender,
        "tracker": {
            "sender_id": sender,
            "conversation_id": sender,
            "slots": slots,
            "latest_message": {
                "text": "/find_counselling",
                "intent": {"name": "find_counselling", "confidence": 1.0},
                "intent_ranking": [{"name": "find_counselling", "confidence": 1.0}],
                "entities": [],
            },
            "latest_event_time": 1764064800.0,
            "followup_action": None,
            "paused": False,
            "events": [
                {"event": "action", "timestamp": 1764064790.0, "name": "action_listen"},
                {"event": "user", "timestamp": 1764064800.0, "text": "/find_counselling", "parse_data": {}},
            ],
            "latest_input_channel": "rest",
            "active_loop": {},
            "latest_action": {"action_name": "action_listen"},
            "latest_action_name": "action_listen",
        },
        "domain": {
            "version": "3.1",
            "config": {"store_entities_as_slots": True},
            "session_config": {"session_expiration_time": 60, "carry_over_slots_to_new_session": True},
            "intents": ["find_counselling"],
            "entities": [],
            "slots": {
                name: {"type": "any", "influence_conversation": False, "mappings": [{"type": "custom"}]}
                for name in ("topic", "language", "municipality", "location", "offers_page", "offers_more")
            },
            "responses": {},
            "actions": ["action_find_offers"],
            "forms": {},
            "e2e_actions": [],
        },
        "version": "3.6.0",
    }


async def test_the_executor_answers_in_the_action_server_format() -> None:
    content = load_content(PROJECT_ROOT / "content")
    executor = build_executor([ActionFindOffers(content, Catalog())])
    assert [action.name for action in executor.list_actions()] == ["action_find_offers"]

    slots = {
        "topic": "money",
        "language": "de",
        "municipality": "nideggen",
        "location": None,
        "offers_page": 0.0,  # Rasa keeps numeric slots as floats
        "offers_more": None,
    }
    result = await executor.run(json.loads(json.dumps(rasa_request(slots))))
    answer = json.loads(result.model_dump_json())

    assert set(answer) == {"events", "responses"}
    assert answer["events"] == [
        {"event": "slot", "timestamp": None, "name": "offers_page", "value": 0},
        {"event": "slot", "timestamp": None, "name": "offers_more", "value": False},
    ]
    responses = answer["responses"]
    assert all(set(response) == RESPONSE_KEYS for response in responses)
    assert [response["text"].splitlines()[0] for response in responses] == [
        "💶 Beratung zum Thema „Geld & Schulden“ für Nideggen:",
        "Verbraucherzentrale NRW, Beratungsstelle Düren (Verbraucherberatung)",
        "Schuldner- und Insolvenzberatung (Schuldnerberatung)",
        "job-com Kreis Düren (Jobcenter)",
    ]
