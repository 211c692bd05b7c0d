"""The `wegweiser` command line: the composition root, the only place that picks concrete classes."""

from bot.cli.commands import app


def main() -> None:
    app()


__all__ = ["app", "main"]
