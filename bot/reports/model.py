"""A report as the bot and the staff see it: answers only, never who gave them or when exactly."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Report:
    """One anonymous report.

    `id` is a random UUID (no order to join against logs), `incident_month` is `YYYY-MM` or None when she
    did not say or it was longer ago, `reported_week` is the ISO week it was sent (`2026-W48`), `text` is
    her free text after scrubbing (None when she wrote none or it has expired), `additions` what she added
    later with her receipt code.
    """

    id: str
    reported_week: str
    incident_month: str | None
    incident: str
    language: str
    forms: tuple[str, ...]
    stage: str
    actor: str
    municipality: str
    grounds: tuple[str, ...]
    text: str | None = None
    additions: tuple[str, ...] = ()


@dataclass(frozen=True)
class SealedReceipt:
    """What is kept of a receipt code: a short keyed tag to find candidates, a salt and a slow hash."""

    tag: str
    salt: bytes
    digest: bytes
