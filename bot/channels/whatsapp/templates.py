"""WhatsApp message templates: read from `content/whatsapp_templates.yml`, their bodies per language from
the catalogs, submitted to Meta and their review status recorded.

Meta supports templates only in some languages (of Wegweiser's: de, en, ar, fa, uk, ru, tr, fr); a
language without translation or without Meta's support gets no template of its own.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml

from bot.i18n.catalog import Catalog

FILE = "whatsapp_templates.yml"
CONTEXT_PREFIX = "whatsapp/template/"
META_LANGUAGES = ("de", "en", "ar", "fa", "uk", "ru", "tr", "fr")  # Meta's template languages among ours
APPROVED = "APPROVED"


@dataclass(frozen=True)
class MessageTemplate:
    name: str
    kind: str
    category: str
    body: str
    example: str = ""

    @property
    def context(self) -> str:
        return CONTEXT_PREFIX + self.name


@dataclass(frozen=True)
class TemplateBook:
    templates: tuple[MessageTemplate, ...] = ()
    invitation_languages: dict[str, str] = field(default_factory=dict)

    def for_kind(self, kind: str) -> MessageTemplate | None:
        return next((template for template in self.templates if template.kind == kind), None)

    def bodies(self, template: MessageTemplate, catalog: Catalog) -> dict[str, str]:
        """The body in each Meta language it is translated into (German always)."""
        found = {}
        for language in META_LANGUAGES:
            text = catalog.text(language, template.body, template.context)
            if language == "de" or text.status in ("reviewed", "draft"):
                found[language] = text.text
        return found


def load_templates(content_dir: Path) -> TemplateBook:
    path = content_dir / FILE
    if not path.exists():
        return TemplateBook()
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    templates = tuple(
        MessageTemplate(
            name=str(item["name"]),
            kind=str(item["kind"]),
            category=str(item.get("category", "UTILITY")),
            body=str(item["body"]),
            example=str(item.get("example", "")),
        )
        for item in data.get("templates", [])
    )
    invitations = {str(k): str(v) for k, v in (data.get("invitation_languages") or {}).items()}
    return TemplateBook(templates, invitations)
