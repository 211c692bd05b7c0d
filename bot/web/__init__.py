"""The local web chat: a Starlette app, its JSON API and a static page in plain JavaScript."""

from bot.web.app import create_app
from bot.web.host import Host

__all__ = ["Host", "create_app"]
