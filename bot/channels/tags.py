"""Logging without traces of her: chat ids only as keyed hashes, errors only by where they happened."""

from __future__ import annotations

import hashlib
import hmac
import secrets
import traceback

# A key per process: the same chat gives the same tag within one run (to follow a problem), and a
# tag cannot be turned back into a chat id (or a phone number) by trying all numbers.
_KEY = secrets.token_bytes(16)


def chat_tag(chat_id: int | str) -> str:
    return hmac.new(_KEY, str(chat_id).encode(), hashlib.sha256).hexdigest()[:12]


def where(error: BaseException) -> str:
    """Where an error happened (files, lines, functions), without its message, which may quote her."""
    frames = traceback.extract_tb(error.__traceback__)[-4:]
    return " <- ".join(
        f"{frame.name}@{frame.filename.rsplit('/', 1)[-1]}:{frame.lineno}" for frame in reversed(frames)
    )
