"""One rendered part, one Cloud API call through pywa."""

from __future__ import annotations

from pywa_async.client import WhatsApp
from pywa_async.types.callback import Button, Section, SectionList, SectionRow

from bot.channels.whatsapp.render import (
    ButtonsPart,
    ListPart,
    LocationPart,
    LocationRequestPart,
    Part,
    TextPart,
)


async def send_part(client: WhatsApp, to: str, part: Part, tracker: str | None = None) -> str:
    """Send `part` to `to`; returns the message id Meta gave it."""
    if isinstance(part, TextPart):
        sent = await client.send_message(to, part.body, tracker=tracker)
    elif isinstance(part, ButtonsPart):
        buttons = [Button(title=row.title, callback_data=row.id) for row in part.buttons]
        sent = await client.send_message(to, part.body, buttons=buttons, tracker=tracker)
    elif isinstance(part, ListPart):
        rows = [
            SectionRow(title=row.title, callback_data=row.id, description=row.description or None)
            for row in part.rows
        ]
        section_list = SectionList(button_title=part.label, sections=[Section(title=part.label, rows=rows)])
        sent = await client.send_message(to, part.body, buttons=section_list, tracker=tracker)
    elif isinstance(part, LocationRequestPart):
        sent = await client.request_location(to, part.body, tracker=tracker)
    elif isinstance(part, LocationPart):
        venue = part.venue
        sent = await client.send_location(
            to, venue.latitude, venue.longitude, name=venue.title, address=venue.address, tracker=tracker
        )
    else:
        document = part.document
        sent = await client.send_document(
            to,
            document.content.encode(),
            filename=document.filename,
            mime_type=document.mime_type,
            tracker=tracker,
        )
    return str(sent.id)
