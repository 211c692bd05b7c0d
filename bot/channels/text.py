"""Cutting a long text into messages a platform accepts, at the most readable place."""

from __future__ import annotations

from collections.abc import Callable

Measure = Callable[[str], int]


def split_text(text: str, limit: int, measure: Measure = len) -> list[str]:
    """Cut at paragraph boundaries, else at line breaks, else at spaces, else hard."""
    if measure(text) <= limit:
        return [text] if text.strip() else []
    for separator in ("\n\n", "\n", " "):
        pieces = text.split(separator)
        if len(pieces) > 1:
            return _pack(pieces, separator, limit, measure)
    cut = limit
    while measure(text[:cut]) > limit:
        cut -= 1
    return [text[:cut], *split_text(text[cut:], limit, measure)]


def _pack(pieces: list[str], separator: str, limit: int, measure: Measure) -> list[str]:
    chunks: list[str] = []
    current = ""
    for piece in pieces:
        candidate = current + separator + piece if current else piece
        if measure(candidate) <= limit:
            current = candidate
            continue
        if current.strip():
            chunks.append(current)
        if measure(piece) <= limit:
            current = piece
        else:
            chunks.extend(split_text(piece, limit, measure))
            current = ""
    if current.strip():
        chunks.append(current)
    return chunks
