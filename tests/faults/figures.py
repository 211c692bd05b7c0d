"""What the fault suite measured, printed at the end of the run (`pytest tests/faults -q`)."""

from __future__ import annotations

FIGURES: list[str] = []


def note(figure: str) -> None:
    FIGURES.append(figure)
