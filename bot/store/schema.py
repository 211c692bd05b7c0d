"""The whole schema in one place: every model module imported, so `metadata` knows every table."""

from bot.store import models, outbox_models, report_models
from bot.store.models import Base

metadata = Base.metadata

__all__ = ["metadata", "models", "outbox_models", "report_models"]
