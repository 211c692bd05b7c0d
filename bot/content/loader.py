"""Loading `content/` for the running bot: all or nothing, with a message that names file and line."""

from __future__ import annotations

from pathlib import Path

from bot.content.check import inspect_content
from bot.content.model import Content
from bot.problem import Problem


class ContentError(Exception):
    """The content cannot be used; `problems` lists every error (file, line, message)."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        lines = "\n".join(f"  {problem.labelled()}" for problem in problems)
        super().__init__(f"content has {len(problems)} error(s):\n{lines}")


def load_content(content_dir: Path) -> Content:
    """Read and check every file; raise ContentError on any error (warnings do not stop the bot)."""
    content, problems = inspect_content(content_dir, today=None)
    if content is None:
        raise ContentError([problem for problem in problems if problem.severity == "error"])
    return content
