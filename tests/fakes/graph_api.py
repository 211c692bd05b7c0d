"""A fake WhatsApp Cloud API (Meta's Graph API) that the real pywa client talks to over real HTTP.

It answers like Meta documents it (developers.facebook.com/docs/whatsapp/cloud-api), with the
shapes, limits and error codes the bot must live with:

- `POST /{version}/{phone_number_id}/messages`: text (body <= 4096), interactive reply buttons (<= 3,
  title <= 20 and unique, id <= 256, body <= 1024), interactive lists (<= 10 rows over all sections,
  row title <= 24, description <= 72, id <= 200, button label <= 20), location request, location,
  document (an uploaded media id), template (an APPROVED name in that language). A broken rule is
  answered 400 with code 131009 (parameter value not valid) or 100 (invalid parameter).
- the 24-hour rule: anything but a template to someone who has not written in 24 hours is refused
  with 131047 (Meta reports this one in a `failed` status; the fake answers at once, which the bot
  must handle the same way);
- throughput: more than `rate` messages in any second -> 130429; per-recipient faults on demand
  (131056 pair rate, 131026 undeliverable); 5xx on demand; a revoked token -> HTTP 401, code 190;
- `POST /{version}/{phone_number_id}/media` (multipart upload), and `/{waba_id}/message_templates`
  (create -> PENDING, list with status; `approve()` plays Meta's review);
- signed webhooks: `text()`, `press()`, `location()`, `send_media()` POST what she sends to the bot's
  webhook with `X-Hub-Signature-256` (HMAC-SHA256 of the raw body under the app secret), and sent,
  delivered and read statuses follow each accepted message (`statuses=True`).

In tests it runs in the test's event loop (`async with FakeGraph() as fake`); for benchmarks as its
own process (`python -m tests.fakes.graph_api --port N`), driven through `/_fake/...` routes.
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import hmac
import itertools
import json
import re
import time
from collections import deque
from dataclasses import dataclass, field
from typing import Any

import httpx
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from tests.fakes.asgi_server import RunningServer, serve

TOKEN = "EAAG-fake-system-user-token"
PHONE_ID = "106540352242922"
WABA_ID = "102290129340398"
APP_SECRET = "fake-app-secret"
VERIFY_TOKEN = "fake-verify-token"
VERSION = "v23.0"
WINDOW = 24 * 3600
# Template languages Meta supports among Wegweiser's (2026 list: no Kurmanji, Tigrinya, Pashto, Somali).
TEMPLATE_LANGUAGES = frozenset({"de", "en", "en_US", "en_GB", "ar", "fa", "uk", "ru", "tr", "fr"})
_TEMPLATE_NAME = re.compile(r"^[a-z0-9_]{1,512}$")
_PLACEHOLDER = re.compile(r"\{\{(\d+)\}\}")


@dataclass
class Sent:
    """One message the bot sent, as Meta received it."""

    id: str
    to: str
    type: str
    payload: dict[str, Any]
    tracker: str = ""

    @property
    def text(self) -> str:
        """The text she reads: the body of a text, interactive or location request, a template's body."""
        if self.type == "text":
            return str(self.payload["text"]["body"])
        if self.type == "interactive":
            return str(self.payload["interactive"]["body"]["text"])
        if self.type == "template":
            return str(self.payload.get("_rendered", ""))
        if self.type == "location":
            return str(self.payload["location"].get("name", ""))
        return ""

    @property
    def choices(self) -> list[tuple[str, str]]:
        """(id, title) of the buttons or list rows."""
        if self.type != "interactive":
            return []
        interactive = self.payload["interactive"]
        if interactive["type"] == "button":
            return [(b["reply"]["id"], b["reply"]["title"]) for b in interactive["action"]["buttons"]]
        if interactive["type"] == "list":
            return [(r["id"], r["title"]) for s in interactive["action"]["sections"] for r in s["rows"]]
        return []

    @property
    def interactive_type(self) -> str:
        return str(self.payload["interactive"]["type"]) if self.type == "interactive" else ""


@dataclass
class Template:
    name: str
    language: str
    category: str
    body: str
    status: str = "PENDING"
    id: str = ""


@dataclass
class Call:
    path: str
    status: int
    code: int = 0


class GraphError(Exception):
    def __init__(self, status: int, code: int, message: str, title: str = "") -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.title = title or message

    def response(self) -> JSONResponse:
        return JSONResponse(
            {
                "error": {
                    "message": self.message,
                    "type": "OAuthException",
                    "code": self.code,
                    "error_data": {"messaging_product": "whatsapp", "details": self.title},
                    "fbtrace_id": "AbCdEf",
                }
            },
            status_code=self.status,
        )


@dataclass
class FakeGraph:
    token: str = TOKEN
    phone_id: str = PHONE_ID
    waba_id: str = WABA_ID
    app_secret: str = APP_SECRET
    rate: float = 80.0
    statuses: bool = True
    webhook_url: str = ""
    auto_approve: bool = False
    calls: list[Call] = field(default_factory=list)
    sent: dict[str, list[Sent]] = field(default_factory=dict)
    templates: dict[tuple[str, str], Template] = field(default_factory=dict)
    last_inbound: dict[str, float] = field(default_factory=dict)
    media: dict[str, tuple[str, bytes]] = field(default_factory=dict)
    revoked: bool = False
    undeliverable: set[str] = field(default_factory=set)
    pair_limited: dict[str, int] = field(default_factory=dict)  # wa_id -> how many sends to refuse
    server_errors: int = 0  # the next N sends answer 500
    throughput_errors: int = 0
    clock_offset: float = 0.0  # seconds added to the clock (to step past 24 hours)
    _ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1))
    _recent: deque[float] = field(default_factory=deque)
    _server: RunningServer | None = None
    _http: httpx.AsyncClient | None = None
    _tasks: set[asyncio.Task[None]] = field(default_factory=set)

    # -- running ---------------------------------------------------------------------------------

    async def __aenter__(self) -> FakeGraph:
        self._server = await serve(self.app())
        self._http = httpx.AsyncClient(timeout=30)
        return self

    async def __aexit__(self, *exc: object) -> None:
        while self._tasks:
            await asyncio.gather(*list(self._tasks), return_exceptions=True)
        if self._http is not None:
            await self._http.aclose()
        if self._server is not None:
            await self._server.stop()

    @property
    def url(self) -> str:
        assert self._server is not None
        return self._server.url

    @property
    def api_url(self) -> str:
        return f"{self.url}/{VERSION}"

    def now(self) -> float:
        return time.time() + self.clock_offset

    def app(self) -> Starlette:
        return Starlette(
            routes=[
                Route("/{version}/{node}/messages", self._messages, methods=["POST"]),
                Route("/{version}/{node}/media", self._media, methods=["POST"]),
                Route("/{version}/{node}/message_templates", self._templates, methods=["GET", "POST"]),
                Route("/{version}/{node}", self._node, methods=["GET"]),
                Route("/_fake/state", self._state, methods=["GET"]),
                Route("/_fake/configure", self._configure, methods=["POST"]),
            ]
        )

    # -- what tests look at ----------------------------------------------------------------------

    def messages_to(self, wa_id: str) -> list[Sent]:
        return list(self.sent.get(wa_id, []))

    def sent_count(self, wa_id: str) -> int:
        return len(self.sent.get(wa_id, []))

    def total_sent(self) -> int:
        return sum(len(messages) for messages in self.sent.values())

    def errors(self, code: int) -> int:
        return sum(1 for call in self.calls if call.code == code)

    def approve(self, name: str | None = None, language: str | None = None, status: str = "APPROVED") -> None:
        for (template_name, template_language), template in self.templates.items():
            if name in (None, template_name) and language in (None, template_language):
                template.status = status

    # -- her side: signed webhooks ----------------------------------------------------------------

    def envelope(self, value: dict[str, Any]) -> dict[str, Any]:
        return {
            "object": "whatsapp_business_account",
            "entry": [
                {
                    "id": self.waba_id,
                    "changes": [
                        {
                            "field": "messages",
                            "value": {
                                "messaging_product": "whatsapp",
                                "metadata": {
                                    "display_phone_number": "4924211234",
                                    "phone_number_id": self.phone_id,
                                },
                                **value,
                            },
                        }
                    ],
                }
            ],
        }

    def message_event(
        self, wa_id: str, kind: str, content: dict[str, Any], message_id: str = ""
    ) -> dict[str, Any]:
        message: dict[str, Any] = {
            "from": wa_id,
            "id": message_id or f"wamid.in{next(self._ids):012d}",
            "timestamp": str(int(self.now())),
            "type": kind,
            **content,
        }
        bsuid = f"DE.{int(hashlib.sha256(wa_id.encode()).hexdigest()[:15], 16)}"
        contact = {"profile": {"name": "Kundin"}, "wa_id": wa_id, "user_id": bsuid}
        return self.envelope({"contacts": [contact], "messages": [message]})

    def sign(self, body: bytes, secret: str | None = None) -> str:
        key = (secret if secret is not None else self.app_secret).encode()
        return "sha256=" + hmac.new(key, body, hashlib.sha256).hexdigest()

    async def post(
        self,
        payload: dict[str, Any] | bytes,
        *,
        signature: str | None = "",
        headers: dict[str, str] | None = None,
    ) -> httpx.Response:
        """POST to the bot's webhook, signed unless `signature` is given (None: no header)."""
        assert self.webhook_url, "set webhook_url first"
        if self._http is None:
            self._http = httpx.AsyncClient(timeout=30)
        body = payload if isinstance(payload, bytes) else json.dumps(payload, ensure_ascii=False).encode()
        sent_headers = {"Content-Type": "application/json", **(headers or {})}
        if signature == "":
            sent_headers["X-Hub-Signature-256"] = self.sign(body)
        elif signature is not None:
            sent_headers["X-Hub-Signature-256"] = signature
        return await self._http.post(self.webhook_url, content=body, headers=sent_headers)

    async def deliver(self, wa_id: str, kind: str, content: dict[str, Any], message_id: str = "") -> str:
        """She sends something: the webhook gets it, and her 24-hour window opens."""
        event = self.message_event(wa_id, kind, content, message_id)
        self.last_inbound[wa_id] = self.now()
        response = await self.post(event)
        assert response.status_code == 200, response.status_code
        return str(event["entry"][0]["changes"][0]["value"]["messages"][0]["id"])

    async def text(self, wa_id: str, text: str) -> str:
        return await self.deliver(wa_id, "text", {"text": {"body": text}})

    async def press(self, wa_id: str, choice_id: str) -> str:
        """She taps a reply button or a list row of the newest message that shows it."""
        shown = [m for m in self.sent.get(wa_id, []) if choice_id in (c for c, _ in m.choices)]
        assert shown, f"no choice {choice_id!r} in {[m.choices for m in self.sent.get(wa_id, [])][-3:]}"
        message = shown[-1]
        title = dict(message.choices)[choice_id]
        if message.interactive_type == "button":
            reply = {"type": "button_reply", "button_reply": {"id": choice_id, "title": title}}
        else:
            reply = {"type": "list_reply", "list_reply": {"id": choice_id, "title": title}}
        content = {"interactive": reply, "context": {"from": "4924211234", "id": message.id}}
        return await self.deliver(wa_id, "interactive", content)

    async def location(self, wa_id: str, latitude: float, longitude: float) -> str:
        return await self.deliver(
            wa_id, "location", {"location": {"latitude": latitude, "longitude": longitude}}
        )

    async def send_media(self, wa_id: str, kind: str) -> str:
        contents: dict[str, dict[str, Any]] = {
            "sticker": {"sticker": {"mime_type": "image/webp", "sha256": "x", "id": "m1", "animated": False}},
            "image": {"image": {"mime_type": "image/jpeg", "sha256": "x", "id": "m2"}},
            "audio": {
                "audio": {"mime_type": "audio/ogg; codecs=opus", "sha256": "x", "id": "m3", "voice": True}
            },
            "reaction": {"reaction": {"message_id": "wamid.out000000000001", "emoji": "👍"}},
            "video": {"video": {"mime_type": "video/mp4", "sha256": "x", "id": "m4"}},
            "document": {
                "document": {"mime_type": "application/pdf", "sha256": "x", "id": "m5", "filename": "a.pdf"}
            },
        }
        return await self.deliver(wa_id, kind, contents.get(kind, {kind: {}}))

    def status_event(self, message: Sent, status: str, error: dict[str, Any] | None = None) -> dict[str, Any]:
        entry: dict[str, Any] = {
            "id": message.id,
            "status": status,
            "timestamp": str(int(self.now())),
            "recipient_id": message.to,
        }
        if message.tracker:
            entry["biz_opaque_callback_data"] = message.tracker
        if error:
            entry["errors"] = [error]
        return self.envelope({"statuses": [entry]})

    # -- the Graph API ---------------------------------------------------------------------------

    def _authorized(self, request: Request) -> None:
        if self.revoked or request.headers.get("authorization") != f"Bearer {self.token}":
            raise GraphError(401, 190, "Error validating access token: The session has been invalidated.")

    async def _messages(self, request: Request) -> Response:
        path = request.url.path
        try:
            self._authorized(request)
            if request.path_params["node"] != self.phone_id:
                raise GraphError(400, 100, "Unsupported post request.")
            try:
                data = json.loads(await request.body())
            except ValueError:
                raise GraphError(400, 100, "Invalid parameter") from None
            sent = self._accept(data)
        except GraphError as error:
            self.calls.append(Call(path, error.status, error.code))
            return error.response()
        self.calls.append(Call(path, 200))
        if self.statuses and self.webhook_url:
            task = asyncio.create_task(self._report(sent))
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)
        return JSONResponse(
            {
                "messaging_product": "whatsapp",
                "contacts": [{"input": sent.to, "wa_id": sent.to}],
                "messages": [{"id": sent.id}],
            }
        )

    def _accept(self, data: dict[str, Any]) -> Sent:
        to = data.get("to") or data.get("recipient")  # `recipient`: a business-scoped user id
        if data.get("messaging_product") != "whatsapp" or not isinstance(to, str):
            raise GraphError(400, 100, "Invalid parameter")
        kind = data.get("type", "text")
        self._throughput()
        if self.server_errors > 0:
            self.server_errors -= 1
            raise GraphError(500, 1, "An unknown error has occurred.")
        if kind != "template" and self.now() - self.last_inbound.get(to, -1e12) > WINDOW:
            raise GraphError(
                400,
                131047,
                "Re-engagement message",
                "More than 24 hours have passed since the recipient last replied.",
            )
        if to in self.undeliverable:
            raise GraphError(400, 131026, "Message Undeliverable.")
        if self.pair_limited.get(to, 0) > 0:
            self.pair_limited[to] -= 1
            raise GraphError(400, 131056, "(Business Account, Consumer Account) pair rate limit hit")
        rendered = self._validate(kind, data)
        sent = Sent(
            f"wamid.out{next(self._ids):012d}", to, kind, data, str(data.get("biz_opaque_callback_data", ""))
        )
        if rendered:
            sent.payload = {**data, "_rendered": rendered}
        self.sent.setdefault(to, []).append(sent)
        return sent

    def _throughput(self) -> None:
        now = time.monotonic()
        while self._recent and self._recent[0] <= now - 1.0:
            self._recent.popleft()
        if self.throughput_errors > 0 or len(self._recent) >= self.rate:
            self.throughput_errors = max(0, self.throughput_errors - 1)
            raise GraphError(400, 130429, "Rate limit hit", "Cloud API message throughput has been reached.")
        self._recent.append(now)

    def _validate(self, kind: str, data: dict[str, Any]) -> str:
        """Meta's limits; returns a template's rendered body ("" for other kinds)."""
        content = data.get(kind)
        if not isinstance(content, dict):
            raise GraphError(400, 100, f"Param {kind} is required")
        if kind == "text":
            _length(content.get("body"), 1, 4096, "text.body")
        elif kind == "interactive":
            _interactive(content)
        elif kind == "location":
            if not all(isinstance(content.get(k), int | float) for k in ("latitude", "longitude")):
                raise GraphError(400, 100, "location needs latitude and longitude")
        elif kind == "document":
            if content.get("id") not in self.media and not content.get("link"):
                raise GraphError(400, 131053, "Media upload error")
        elif kind == "template":
            return self._template_body(content)
        else:
            raise GraphError(400, 131051, "Unsupported message type")
        return ""

    def _template_body(self, content: dict[str, Any]) -> str:
        name = content.get("name")
        language = (content.get("language") or {}).get("code")
        template = self.templates.get((str(name), str(language)))
        if template is None or template.status != "APPROVED":
            raise GraphError(404, 132001, "Template name does not exist in the translation")
        parameters = [
            str(p.get("text", ""))
            for component in content.get("components", [])
            if str(component.get("type", "")).lower() == "body"
            for p in component.get("parameters", [])
        ]
        wanted = len(set(_PLACEHOLDER.findall(template.body)))
        if len(parameters) != wanted:
            raise GraphError(400, 132000, "Number of parameters does not match the expected number of params")
        return _PLACEHOLDER.sub(lambda m: parameters[int(m.group(1)) - 1], template.body)

    async def _media(self, request: Request) -> Response:
        try:
            self._authorized(request)
        except GraphError as error:
            return error.response()
        form = await request.form()
        upload = form.get("file")
        if upload is None or isinstance(upload, str):
            return GraphError(400, 100, "file is required").response()
        media_id = f"{next(self._ids):015d}"
        self.media[media_id] = (str(upload.filename), await upload.read())
        return JSONResponse({"id": media_id})

    async def _node(self, request: Request) -> Response:
        """GET /{phone-number-id}: the business phone number, as a token check reads it."""
        try:
            self._authorized(request)
            if request.path_params["node"] != self.phone_id:
                raise GraphError(400, 100, "Unsupported get request.")
        except GraphError as error:
            return error.response()
        return JSONResponse({"id": self.phone_id, "verified_name": "Wegweiser", "quality_rating": "GREEN"})

    async def _templates(self, request: Request) -> Response:
        try:
            self._authorized(request)
            if request.path_params["node"] != self.waba_id:
                raise GraphError(400, 100, "Unsupported request: unknown business account")
        except GraphError as error:
            return error.response()
        if request.method == "GET":
            data = [
                {
                    "name": t.name,
                    "language": t.language,
                    "status": t.status,
                    "category": t.category,
                    "id": t.id,
                    "components": [{"type": "BODY", "text": t.body}],
                }
                for t in self.templates.values()
            ]
            return JSONResponse({"data": data, "paging": {"cursors": {"before": "", "after": ""}}})
        try:
            template = _new_template(json.loads(await request.body()), str(next(self._ids)))
        except GraphError as error:
            return error.response()
        if (template.name, template.language) in self.templates:
            return GraphError(
                400, 100, "Message template already exists in this language", "2388024"
            ).response()
        if self.auto_approve:
            template.status = "APPROVED"
        self.templates[(template.name, template.language)] = template
        return JSONResponse({"id": template.id, "status": template.status, "category": template.category})

    async def _report(self, message: Sent) -> None:
        """Meta's statuses for an accepted message: sent, then delivered, then read."""
        for status in ("sent", "delivered", "read"):
            await asyncio.sleep(0.01)
            try:
                await self.post(self.status_event(message, status))
            except httpx.HTTPError:
                return

    # -- driving a separate process (benchmarks) -------------------------------------------------

    async def _state(self, request: Request) -> Response:
        return JSONResponse(
            {
                "sent": self.total_sent(),
                "recipients": len(self.sent),
                "throughput_errors": self.errors(130429),
                "calls": len(self.calls),
            }
        )

    async def _configure(self, request: Request) -> Response:
        data = json.loads(await request.body())
        if "webhook_url" in data:
            self.webhook_url = str(data["webhook_url"])
        if "statuses" in data:
            self.statuses = bool(data["statuses"])
        if "rate" in data:
            self.rate = float(data["rate"])
        for wa_id in data.get("open_windows", []):
            self.last_inbound[str(wa_id)] = self.now()
        if data.get("reset"):
            self.sent.clear()
            self.calls.clear()
        return JSONResponse({"ok": True})


def _length(value: object, low: int, high: int, name: str) -> None:
    if not isinstance(value, str) or not low <= len(value) <= high:
        raise GraphError(
            400, 131009, f"Parameter value is not valid: {name} must have {low}-{high} characters"
        )


def _interactive(content: dict[str, Any]) -> None:
    kind = content.get("type")
    body = (content.get("body") or {}).get("text")
    action = content.get("action") or {}
    if kind == "button":
        _length(body, 1, 1024, "body.text")
        buttons = action.get("buttons") or []
        if not 1 <= len(buttons) <= 3:
            raise GraphError(400, 131009, "Parameter value is not valid: buttons must have 1-3 items")
        titles = [b.get("reply", {}).get("title") for b in buttons]
        ids = [b.get("reply", {}).get("id") for b in buttons]
        for title in titles:
            _length(title, 1, 20, "button title")
        for button_id in ids:
            _length(button_id, 1, 256, "button id")
        if len(set(titles)) != len(titles) or len(set(ids)) != len(ids):
            raise GraphError(
                400, 131009, "Parameter value is not valid: button titles and ids must be unique"
            )
    elif kind == "list":
        _length(body, 1, 4096, "body.text")
        _length(action.get("button"), 1, 20, "action.button")
        sections = action.get("sections") or []
        rows = [row for section in sections for row in section.get("rows", [])]
        if not 1 <= len(sections) <= 10 or not 1 <= len(rows) <= 10:
            raise GraphError(
                400, 131009, "Parameter value is not valid: a list has 1-10 rows in all sections"
            )
        for section in sections:
            if len(sections) > 1 or "title" in section:
                _length(section.get("title"), 1, 24, "section title")
        for row in rows:
            _length(row.get("title"), 1, 24, "row title")
            _length(row.get("id"), 1, 200, "row id")
            if "description" in row:
                _length(row["description"], 1, 72, "row description")
        ids = [row.get("id") for row in rows]
        if len(set(ids)) != len(ids):
            raise GraphError(400, 131009, "Parameter value is not valid: row ids must be unique")
    elif kind == "location_request_message":
        _length(body, 1, 1024, "body.text")
        if (action.get("name")) != "send_location":
            raise GraphError(400, 131009, "Parameter value is not valid: action.name must be send_location")
    else:
        raise GraphError(400, 131009, f"Parameter value is not valid: interactive type {kind}")


def _new_template(data: dict[str, Any], template_id: str) -> Template:
    name = str(data.get("name", ""))
    language = str(data.get("language", ""))
    category = str(data.get("category", ""))
    if not _TEMPLATE_NAME.match(name):
        raise GraphError(400, 100, "Invalid parameter: name")
    if language not in TEMPLATE_LANGUAGES:
        raise GraphError(400, 100, "Invalid parameter: language is not supported for templates")
    if category not in ("UTILITY", "MARKETING", "AUTHENTICATION"):
        raise GraphError(400, 100, "Invalid parameter: category")
    bodies = [
        str(c.get("text", "")) for c in data.get("components", []) if str(c.get("type")).upper() == "BODY"
    ]
    if len(bodies) != 1 or not 1 <= len(bodies[0]) <= 1024:
        raise GraphError(400, 100, "Invalid parameter: a template needs one body of 1-1024 characters")
    numbers = sorted({int(n) for n in _PLACEHOLDER.findall(bodies[0])})
    if numbers != list(range(1, len(numbers) + 1)):
        raise GraphError(400, 100, "Invalid parameter: placeholders must be {{1}}, {{2}}, ... in order")
    return Template(name, language, category, bodies[0], "PENDING", template_id)


def main() -> None:
    parser = argparse.ArgumentParser(description="A fake WhatsApp Cloud API for benchmarks.")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--rate", type=float, default=80.0)
    arguments = parser.parse_args()

    import uvicorn

    fake = FakeGraph(rate=arguments.rate, statuses=False)
    uvicorn.run(fake.app(), host="127.0.0.1", port=arguments.port, log_level="warning", access_log=False)


if __name__ == "__main__":
    main()
