"""Template administration through pywa: submit templates for review, read back Meta's statuses.

Used by the CLI; the statuses go to the store, where the courier reads them.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, Protocol

from pywa.types.templates import BodyText, Template, TemplateCategory, TemplateLanguage
from pywa_async.client import WhatsApp
from pywa_async.errors import WhatsAppError

from bot.channels.whatsapp.templates import TemplateBook
from bot.i18n.catalog import Catalog


class TemplateStore(Protocol):
    def record_templates(self, statuses: list[tuple[str, str, str]], at: datetime, /) -> None: ...

    def templates(self) -> dict[tuple[str, str], str]: ...


async def submit(
    client: WhatsApp, waba_id: str, book: TemplateBook, catalog: Catalog, store: TemplateStore
) -> list[tuple[str, str, str]]:
    """Create each (template, language) Meta does not know yet; returns (name, language, status)."""
    known = store.templates()
    results: list[tuple[str, str, str]] = []
    for template in book.templates:
        for language, body in book.bodies(template, catalog).items():
            if known.get((template.name, language), "REJECTED") not in ("REJECTED",):
                continue
            examples: list[Any] = [template.example or "…"] if "{{1}}" in body else []
            request = Template(
                name=template.name,
                language=TemplateLanguage(language),
                category=TemplateCategory(template.category),
                components=[BodyText(body, *examples)],
            )
            try:
                created = await client.create_template(request, waba_id=waba_id)
                status = str(created.status)
            except WhatsAppError as error:
                status = f"ERROR {error.code}"
            results.append((template.name, language, status))
    store.record_templates(
        [(n, lang, s) for n, lang, s in results if not s.startswith("ERROR")], datetime.now(UTC)
    )
    return results


async def statuses(client: WhatsApp, waba_id: str, store: TemplateStore) -> dict[tuple[str, str], str]:
    """Meta's status of every template language of the business account, recorded in the store."""
    found: dict[tuple[str, str], str] = {}
    result = await client.get_templates(waba_id=waba_id)
    for details in result:
        found[(str(details.name), str(details.language))] = str(details.status)
    store.record_templates([(n, lang, s) for (n, lang), s in found.items()], datetime.now(UTC))
    return found
