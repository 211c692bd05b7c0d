"""The `wegweiser` command line: the composition root, the only place that picks concrete classes."""

import os
import sys

from bot.cli.commands import app


def main() -> None:
    # Rich assumes 80 columns when output goes to a file or a pipe and cuts table cells to fit; a report
    # or job list piped into a file or a mail should be whole. (Rich reads COLUMNS when it prints.)
    if not sys.stdout.isatty():
        os.environ.setdefault("COLUMNS", "250")
    app()


__all__ = ["app", "main"]
