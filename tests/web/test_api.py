"""The web chat's JSON API against a fake host: the contract the page and other clients rely on."""

from __future__ import annotations

import json
import logging
import re
from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import asynccontextmanager

import httpx
import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse
from starlette.responses import Response as StarletteResponse
from starlette.routing import Route

from bot.engine.model import Button, Input, Message, Venue
from bot.web import create_app

SESSION = "tab_0123456789-abcdef"


class RecordingHost:
    """Answers every turn with the messages it was given and remembers what it was asked."""

    def __init__(self, messages: Sequence[Message] = (), failure: Exception | None = None) -> None:
        self.messages = list(messages)
        self.failure = failure
        self.calls: list[tuple[str, str, Input]] = []
        self.forgotten: list[tuple[str, str]] = []

    async def handle(self, channel: str, platform_id: str, user_input: Input) -> list[Message]:
        self.calls.append((channel, platform_id, user_input))
        if self.failure is not None:
            raise self.failure
        return self.messages

    async def forget(self, channel: str, platform_id: str) -> None:
        self.forgotten.append((channel, platform_id))


def healthy() -> bool:
    return True


def unhealthy() -> bool:
    return False


def broken() -> bool:
    raise ConnectionError("database gone")


GREETING = Message(
    text="Hallo! Wobei kann ich helfen?",
    buttons=(Button("Beratung finden", "find_counselling"), Button("Sprache", "lang")),
    msgid="Hallo! Wobei kann ich helfen?",
    status="source",
)
ARABIC = Message(text="مرحبا", dir="rtl", msgid="Hallo!", status="reviewed")


@pytest.fixture
def host() -> RecordingHost:
    return RecordingHost([GREETING, ARABIC])


def connect(app: Starlette) -> httpx.AsyncClient:
    """An HTTP client speaking to the app in-process (ASGI), as a browser would over the network."""
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://wegweiser.test")


@pytest.fixture
async def client(host: RecordingHost) -> AsyncIterator[httpx.AsyncClient]:
    async with connect(create_app(host, healthy)) as http:
        yield http


async def post(client: httpx.AsyncClient, body: object) -> httpx.Response:
    content = json.dumps(body, ensure_ascii=False).encode()
    return await client.post("/api/chat", content=content, headers={"Content-Type": "application/json"})


# --- what reaches the host ---


async def test_text_reaches_the_host_as_text_input_with_the_language_hint(
    client: httpx.AsyncClient, host: RecordingHost
) -> None:
    response = await post(client, {"session": SESSION, "text": "Ich brauche Hilfe", "language_hint": "ar-SY"})

    assert response.status_code == 200
    assert host.calls == [("web", SESSION, Input.of_text("Ich brauche Hilfe", "ar-SY"))]


async def test_payload_reaches_the_host_as_a_pressed_button(
    client: httpx.AsyncClient, host: RecordingHost
) -> None:
    await post(client, {"session": SESSION, "payload": "find_counselling/ask_topic=violence"})

    assert host.calls == [("web", SESSION, Input.of_payload("find_counselling/ask_topic=violence"))]


async def test_start_flag_starts_the_conversation(client: httpx.AsyncClient, host: RecordingHost) -> None:
    await post(client, {"session": SESSION, "start": True, "language_hint": "fa"})

    assert host.calls == [("web", SESSION, Input(kind="start", language_hint="fa"))]


@pytest.mark.parametrize(
    ("text", "deep_link"), [("/start", ""), ("  /start  ", ""), ("/start flyer-2025", "flyer-2025")]
)
async def test_start_command_starts_the_conversation_with_its_deep_link(
    client: httpx.AsyncClient, host: RecordingHost, text: str, deep_link: str
) -> None:
    await post(client, {"session": SESSION, "text": text})

    assert host.calls == [("web", SESSION, Input(kind="start", text=deep_link))]


async def test_start_false_counts_as_absent(client: httpx.AsyncClient, host: RecordingHost) -> None:
    await post(client, {"session": SESSION, "start": False, "text": "hallo"})

    assert host.calls == [("web", SESSION, Input.of_text("hallo"))]


async def test_location_reaches_the_host_as_coordinates(
    client: httpx.AsyncClient, host: RecordingHost
) -> None:
    await post(client, {"session": SESSION, "location": {"latitude": 50.8, "longitude": 6}})

    assert host.calls == [("web", SESSION, Input(kind="location", latitude=50.8, longitude=6.0))]


async def test_long_text_passes_to_the_host_unchanged(client: httpx.AsyncClient, host: RecordingHost) -> None:
    text = "ب" * 2_000 + "\n" + "x" * 2_095  # 4,096 characters: as much as Telegram takes

    response = await post(client, {"session": SESSION, "text": text})

    assert response.status_code == 200
    assert host.calls[0][2].text == text
    too_long = await post(client, {"session": SESSION, "text": text + "x"})
    assert too_long.status_code == 413


async def test_unknown_fields_are_ignored(client: httpx.AsyncClient, host: RecordingHost) -> None:
    response = await post(client, {"session": SESSION, "text": "hallo", "client": "v2"})

    assert response.status_code == 200
    assert host.calls == [("web", SESSION, Input.of_text("hallo"))]


# --- what the page receives ---


async def test_reply_carries_every_bubble_and_the_last_ones_direction(client: httpx.AsyncClient) -> None:
    reply = (await post(client, {"session": SESSION, "text": "hallo"})).json()

    assert reply["dir"] == "rtl"
    assert reply["language"] == reply["messages"][-1]["language"]
    first, second = reply["messages"]
    assert first == {
        "text": "Hallo! Wobei kann ich helfen?",
        "buttons": [
            {"title": "Beratung finden", "payload": "find_counselling"},
            {"title": "Sprache", "payload": "lang"},
        ],
        "dir": "ltr",
        "language": first["language"],
        "msgid": "Hallo! Wobei kann ich helfen?",
        "status": "source",
        "venue": None,
        "effect": "",
        "document": None,
    }
    assert (second["text"], second["dir"], second["status"], second["buttons"]) == (
        "مرحبا",
        "rtl",
        "reviewed",
        [],
    )


async def test_reply_carries_a_venue() -> None:
    venue = Venue(
        latitude=50.8, longitude=6.48, title="Kreishaus Düren", address="Bismarckstraße 16, 52351 Düren"
    )
    host = RecordingHost([Message(text="Hier", venue=venue)])
    async with connect(create_app(host, healthy)) as client:
        reply = (await post(client, {"session": SESSION, "payload": "where"})).json()

    assert reply["messages"][0]["venue"] == {
        "latitude": 50.8,
        "longitude": 6.48,
        "title": "Kreishaus Düren",
        "address": "Bismarckstraße 16, 52351 Düren",
    }


async def test_reply_without_messages_reads_left_to_right() -> None:
    async with connect(create_app(RecordingHost([]), healthy)) as client:
        reply = (await post(client, {"session": SESSION, "text": "hallo"})).json()

    assert reply == {"messages": [], "dir": "ltr", "language": ""}


# --- refused requests ---

BAD_REQUESTS: list[tuple[str, bytes]] = [
    ("not json", b"{session: 1"),
    ("not utf-8", b'{"session": "\xff\xfe"}'),
    ("deeply nested", b"[" * 60_000),
    ("a list", b'["tab_0123456789", "hallo"]'),
    ("a string", b'"hallo"'),
    ("missing session", b'{"text": "hallo"}'),
    ("session too short", b'{"session": "abc1234", "text": "hallo"}'),
    ("session too long", json.dumps({"session": "a" * 65, "text": "hallo"}).encode()),
    ("session with a slash", b'{"session": "abcd/1234567", "text": "hallo"}'),
    ("session with a space", b'{"session": "abcd 1234567", "text": "hallo"}'),
    ("session a number", b'{"session": 1234567890, "text": "hallo"}'),
    ("neither text nor payload", json.dumps({"session": SESSION}).encode()),
    ("text null", json.dumps({"session": SESSION, "text": None}).encode()),
    ("text a number", json.dumps({"session": SESSION, "text": 42}).encode()),
    ("text a list", json.dumps({"session": SESSION, "text": ["hallo"]}).encode()),
    ("text empty", json.dumps({"session": SESSION, "text": ""}).encode()),
    ("text blank", json.dumps({"session": SESSION, "text": " \n\t"}).encode()),
    ("payload a number", json.dumps({"session": SESSION, "payload": 3}).encode()),
    ("payload empty", json.dumps({"session": SESSION, "payload": ""}).encode()),
    ("payload too long", json.dumps({"session": SESSION, "payload": "p" * 65}).encode()),
    ("text and payload", json.dumps({"session": SESSION, "text": "a", "payload": "menu"}).encode()),
    ("start and text", json.dumps({"session": SESSION, "start": True, "text": "a"}).encode()),
    ("start a string", json.dumps({"session": SESSION, "start": "yes"}).encode()),
    ("location a list", json.dumps({"session": SESSION, "location": [50.8, 6.4]}).encode()),
    ("latitude missing", json.dumps({"session": SESSION, "location": {"longitude": 6.4}}).encode()),
    (
        "latitude a string",
        json.dumps({"session": SESSION, "location": {"latitude": "50", "longitude": 6}}).encode(),
    ),
    (
        "latitude a boolean",
        json.dumps({"session": SESSION, "location": {"latitude": True, "longitude": 6}}).encode(),
    ),
    (
        "latitude out of range",
        json.dumps({"session": SESSION, "location": {"latitude": 91, "longitude": 6}}).encode(),
    ),
    (
        "longitude not finite",
        b'{"session": "tab_0123456789", "location": {"latitude": 50, "longitude": NaN}}',
    ),
    ("language hint a number", json.dumps({"session": SESSION, "text": "a", "language_hint": 7}).encode()),
    (
        "language hint too long",
        json.dumps({"session": SESSION, "text": "a", "language_hint": "x" * 36}).encode(),
    ),
]


@pytest.mark.parametrize(("case", "body"), BAD_REQUESTS, ids=[case for case, _ in BAD_REQUESTS])
async def test_bad_request_is_refused_with_a_clear_message(
    client: httpx.AsyncClient, host: RecordingHost, case: str, body: bytes
) -> None:
    response = await client.post("/api/chat", content=body, headers={"Content-Type": "application/json"})

    assert response.status_code == 400, case
    error = response.json()["error"]
    assert isinstance(error, str) and error.endswith(".") and len(error) > 15
    assert host.calls == []


async def test_error_message_names_the_field_but_never_repeats_her_words(client: httpx.AsyncClient) -> None:
    response = await post(client, {"session": "meine Telefonnummer 0151", "text": "hallo"})

    assert response.status_code == 400
    assert '"session"' in response.json()["error"]
    assert "0151" not in response.text


async def test_body_over_64_kb_is_refused_with_413(client: httpx.AsyncClient, host: RecordingHost) -> None:
    body = json.dumps({"session": SESSION, "text": "x" * (64 * 1024)}).encode()

    response = await client.post("/api/chat", content=body, headers={"Content-Type": "application/json"})

    assert response.status_code == 413
    assert "64 KB" in response.json()["error"]
    assert host.calls == []


async def test_streamed_body_over_64_kb_is_refused_with_413(
    client: httpx.AsyncClient, host: RecordingHost
) -> None:
    async def chunks() -> AsyncIterator[bytes]:
        yield b'{"session": "tab_0123456789", "text": "'
        for _ in range(70):
            yield b"x" * 1024
        yield b'"}'

    response = await client.post("/api/chat", content=chunks(), headers={"Content-Type": "application/json"})

    assert response.status_code == 413
    assert host.calls == []


async def test_body_just_under_the_limit_is_accepted(client: httpx.AsyncClient, host: RecordingHost) -> None:
    message = json.dumps({"session": SESSION, "text": "ب" * 4096})  # escaped: 6 bytes a letter
    body = (message[:-1] + " " * (64 * 1024 - len(message)) + "}").encode()
    assert len(body) == 64 * 1024

    response = await client.post("/api/chat", content=body, headers={"Content-Type": "application/json"})

    assert response.status_code == 200
    assert len(host.calls) == 1


# --- failures and privacy ---


async def test_failing_turn_answers_500_and_logs_neither_text_nor_session(
    caplog: pytest.LogCaptureFixture,
) -> None:
    host = RecordingHost(failure=RuntimeError("could not handle 'Mein Mann schlägt mich'"))
    caplog.set_level(logging.DEBUG)
    async with connect(create_app(host, healthy)) as client:
        response = await post(client, {"session": SESSION, "text": "Mein Mann schlägt mich"})

    assert response.status_code == 500
    assert "try again" in response.json()["error"]
    assert "RuntimeError" in caplog.text
    assert "schlägt" not in caplog.text
    assert SESSION not in caplog.text


async def test_a_normal_turn_logs_neither_text_nor_session(
    client: httpx.AsyncClient, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)

    await post(client, {"session": SESSION, "text": "Ich wohne in Düren-Nord"})

    assert "Düren-Nord" not in caplog.text
    assert SESSION not in caplog.text


@pytest.mark.parametrize(
    "path", ["/", "/static/chat.js", "/static/chat.css", "/health", "/api/chat", "/nowhere"]
)
async def test_every_response_keeps_out_of_the_browser_cache(client: httpx.AsyncClient, path: str) -> None:
    response = await client.get(path)

    assert response.headers["cache-control"] == "no-store"
    assert response.headers["referrer-policy"] == "no-referrer"
    assert "default-src 'self'" in response.headers["content-security-policy"]


async def test_chat_reply_is_not_cached(client: httpx.AsyncClient) -> None:
    response = await post(client, {"session": SESSION, "text": "hallo"})

    assert response.headers["cache-control"] == "no-store"


# --- page, health and the rest ---


async def test_page_is_served_with_its_script_and_styles(client: httpx.AsyncClient) -> None:
    page = await client.get("/")
    script = await client.get("/static/chat.js")
    styles = await client.get("/static/chat.css")

    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    assert '<script src="/static/chat.js"' in page.text
    assert 'id="language"' in page.text
    assert "javascript" in script.headers["content-type"]
    assert "textContent" in script.text
    for markup_sink in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval("):
        assert markup_sink not in script.text
    assert styles.headers["content-type"].startswith("text/css")


async def test_page_loads_nothing_from_elsewhere(client: httpx.AsyncClient) -> None:
    page = (await client.get("/")).text
    styles = (await client.get("/static/chat.css")).text
    script = (await client.get("/static/chat.js")).text

    assert "://" not in page and "://" not in styles
    fetched = re.findall(r'fetch\(\s*"([^"]*)"', script)
    assert script.count("fetch(") == len(fetched) == 3
    assert fetched == ["/api/labels?language=", "/api/chat", "/api/session"]
    assert "XMLHttpRequest" not in script and "import(" not in script


async def test_health_is_ok_when_the_database_answers(client: httpx.AsyncClient) -> None:
    response = await client.get("/health")

    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "channels": {"web": "ok"}}


@pytest.mark.parametrize("ping", [unhealthy, broken])
async def test_health_is_503_when_the_database_does_not_answer(ping: Callable[[], bool]) -> None:
    async with connect(create_app(RecordingHost(), ping)) as client:
        response = await client.get("/health")

    assert response.status_code == 503
    assert response.json() == {"status": "unavailable", "database": "cannot write", "channels": {"web": "ok"}}


async def test_unknown_path_is_404_json(client: httpx.AsyncClient) -> None:
    response = await client.get("/wp-admin")

    assert response.status_code == 404
    assert response.json() == {"error": "Not found."}


async def test_wrong_method_is_405_json(client: httpx.AsyncClient) -> None:
    response = await client.get("/api/chat")

    assert response.status_code == 405
    assert response.json() == {"error": "Method not allowed."}
    assert "POST" in response.headers["allow"]


async def test_extra_routes_and_lifespan_are_part_of_the_app() -> None:
    events: list[str] = []

    async def webhook(request: Request) -> StarletteResponse:
        return PlainTextResponse("telegram")

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        events.append("started")
        yield
        events.append("stopped")

    app = create_app(
        RecordingHost(), healthy, routes=[Route("/telegram", webhook, methods=["POST"])], lifespan=lifespan
    )
    async with app.router.lifespan_context(app), connect(app) as client:
        response = await client.post("/telegram")
        assert events == ["started"]

    assert response.text == "telegram"
    assert events == ["started", "stopped"]


def bracketed(language: str, german: str, context: str) -> str:
    return f"[{language}:{context}] {german}"


async def test_a_new_conversation_forgets_the_old_session(
    client: httpx.AsyncClient, host: RecordingHost
) -> None:
    response = await client.request("DELETE", "/api/session", json={"session": SESSION})
    assert response.status_code == 204
    assert host.forgotten == [("web", SESSION)]


@pytest.mark.parametrize("body", [b"", b"[]", b'{"session": "short"}', b'{"text": "Hallo"}'])
async def test_forgetting_needs_a_well_formed_session(
    client: httpx.AsyncClient, host: RecordingHost, body: bytes
) -> None:
    response = await client.request("DELETE", "/api/session", content=body)
    assert response.status_code == 400
    assert "session" in response.json()["error"] or "JSON" in response.json()["error"]
    assert host.forgotten == []


async def test_labels_come_in_her_language_with_her_direction(host: RecordingHost) -> None:
    async with connect(create_app(host, healthy, translate=bracketed)) as client:
        arabic = (await client.get("/api/labels", params={"language": "ar"})).json()
        unknown = (await client.get("/api/labels", params={"language": "xx"})).json()
    assert arabic["language"] == "ar" and arabic["dir"] == "rtl"
    assert arabic["labels"]["send"] == "[ar:web/send] Senden"
    assert unknown["language"] == "de" and unknown["dir"] == "ltr"


async def test_labels_without_a_catalog_are_german(client: httpx.AsyncClient) -> None:
    labels = (await client.get("/api/labels", params={"language": "fa"})).json()["labels"]
    assert labels["share_location"] == "Meinen Standort teilen"
