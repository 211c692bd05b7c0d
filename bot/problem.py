"""What every `check` command reports: a file, a line, a message an editor can act on.

`flows check`, `content check` and `i18n check` print the same kind of line, `file:line: message`; content
adds the severity (`file:line: warning: message`) because only its problems can be warnings.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True)
class Problem:
    file: str
    line: int | None  # 1-based; None when the whole file (or folder) is meant
    message: str
    severity: Severity = "error"

    @property
    def where(self) -> str:
        return f"{self.file}:{self.line}" if self.line else self.file

    def __str__(self) -> str:
        return f"{self.where}: {self.message}"

    def labelled(self) -> str:
        """With the severity, for reports that mix errors and warnings."""
        return f"{self.where}: {self.severity}: {self.message}"
