"""A fake LibreTranslate server: real HTTP on 127.0.0.1, `/translate` and `/languages`, with failures.

It speaks LibreTranslate's protocol (parameters in the query string, a form or JSON; answers
`{"translatedText": ...}`), so deep-translator's real `LibreTranslator` talks to it unchanged. Its
"translation" is deterministic: `<target>: <text>`, with the protection tokens left in place (or, in
mode "digits", rewritten in Arabic-Indic digits as some engines do).

Modes (set `fake.mode`, optionally after `fake.fail_after` good answers):
- "ok"      translate
- "quota"   HTTP 429, as LibreTranslate answers when the rate limit is hit
- "error"   HTTP 500
- "slow"    no answer until the server stops (for timeouts)
- "mangle"  drop the protection tokens from the answer
- "digits"  write the token numbers in Arabic-Indic digits
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlparse

LANGUAGES = ("de", "en", "ar", "fa", "uk", "ru", "tr", "fr")  # like a server without ti, ku, ps, so


@dataclass
class FakeLibreTranslate:
    url: str = ""
    mode: str = "ok"
    fail_after: int = 0
    api_key: str = ""
    languages: tuple[str, ...] = LANGUAGES
    requests: list[dict[str, str]] = field(default_factory=list)
    released: threading.Event = field(default_factory=threading.Event)

    @property
    def translated(self) -> int:
        return sum(1 for request in self.requests if request.get("answered") == "yes")


def _translate(text: str, target: str, mode: str) -> str:
    if mode == "mangle":
        text = "".join(char for char in text if char not in "⟦⟧0123456789")
    if mode == "digits":
        text = text.translate(str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩"))
    return f"{target}: {text}"


def _handler(fake: FakeLibreTranslate) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:  # quiet
            return

        def _send(self, status: int, body: object) -> None:
            data = json.dumps(body, ensure_ascii=False).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def _params(self) -> dict[str, str]:
            params = {key: values[0] for key, values in parse_qs(urlparse(self.path).query).items()}
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length).decode() if length else ""
            if body and "json" in (self.headers.get("Content-Type") or ""):
                params.update({key: str(value) for key, value in json.loads(body).items()})
            elif body:
                params.update({key: values[0] for key, values in parse_qs(body).items()})
            return params

        def do_GET(self) -> None:
            if urlparse(self.path).path.rstrip("/") != "/languages":
                self._send(404, {"error": "Not found"})
                return
            self._send(
                200,
                [{"code": code, "name": code, "targets": list(fake.languages)} for code in fake.languages],
            )

        def do_POST(self) -> None:
            if urlparse(self.path).path.rstrip("/") != "/translate":
                self._send(404, {"error": "Not found"})
                return
            params = self._params()
            fake.requests.append(params)
            if fake.api_key and params.get("api_key") != fake.api_key:
                self._send(403, {"error": "Invalid API key"})
                return
            mode = fake.mode if fake.translated >= fake.fail_after else "ok"
            if mode == "quota":
                self._send(429, {"error": "Too many request limits violation"})
            elif mode == "error":
                self._send(500, {"error": "Internal error"})
            elif mode == "slow":
                fake.released.wait(timeout=30)
                self._send(500, {"error": "too late"})
            elif params.get("target") not in fake.languages or params.get("source") not in fake.languages:
                self._send(400, {"error": f"{params.get('target')} is not supported"})
            else:
                params["answered"] = "yes"
                self._send(200, {"translatedText": _translate(params.get("q", ""), params["target"], mode)})

    return Handler


@contextmanager
def serve_libretranslate(**options: Any) -> Iterator[FakeLibreTranslate]:
    """Run the fake on a free port of 127.0.0.1 until the block ends."""
    fake = FakeLibreTranslate(**options)
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(fake))
    server.daemon_threads = True
    server.block_on_close = False
    fake.url = f"http://127.0.0.1:{server.server_address[1]}/"
    thread = threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.05}, name="fake-libretranslate", daemon=True
    )
    thread.start()
    try:
        yield fake
    finally:
        fake.released.set()
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
