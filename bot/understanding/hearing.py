"""What the engine learns from her text: is it danger, and which need it most likely is.

The engine depends on this small interface only, never on the classifier behind it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

DANGER = "danger"
VIOLENCE = "violence_at_home"
OTHER = "other"
SMALL_TALK = ("greeting", "thanks")
TOPIC = "topic_"


@dataclass(frozen=True)
class Hearing:
    """`danger` is the decision (lexicon or model); `ranking` is the model's needs, likeliest first."""

    danger: bool
    ranking: tuple[tuple[str, float], ...] = ()

    @property
    def intent(self) -> str:
        return self.ranking[0][0] if self.ranking else OTHER

    @property
    def confidence(self) -> float:
        return self.ranking[0][1] if self.ranking else 0.0


NOTHING = Hearing(False)


class Understanding(Protocol):
    def hear(self, text: str) -> Hearing: ...
