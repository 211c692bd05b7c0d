"""The real `content/` and a helper to break one line of a throw-away copy of it."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from bot.config import PROJECT_ROOT

CONTENT_DIR = PROJECT_ROOT / "content"
TODAY = date(2026, 11, 25)


def edit(path: Path, old: str, new: str) -> int:
    """Replace the one occurrence of `old` in `path`; return the 1-based line where it starts."""
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{old!r} occurs {text.count(old)} times in {path}"
    path.write_text(text.replace(old, new), encoding="utf-8")
    return text[: text.index(old)].count("\n") + 1
