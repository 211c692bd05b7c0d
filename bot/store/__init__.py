"""Persistence: the only package that imports SQLAlchemy."""

from bot.store import schema
from bot.store.store import Conversation, Recipient, Store

__all__ = ["Conversation", "Recipient", "Store", "schema"]
