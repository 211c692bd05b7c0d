"""The catalog files: where they live, how the template is built, how they are read and written.

`locale/wegweiser.pot` is the template (every German text with its context, place and limits);
`locale/<lang>/LC_MESSAGES/wegweiser.po` holds one language. Files are written whole into a temporary
file and renamed, so an interrupted run never leaves half a catalog.
"""

from __future__ import annotations

import io
import os
import re
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path

from babel.messages.catalog import Catalog, Message
from babel.messages.pofile import normalize, read_po, unescape, write_po

from bot.i18n.catalog import DOMAIN
from bot.i18n.languages import LANGUAGES, SOURCE
from bot.translation.limits import limits_line
from bot.translation.sources import SourceText

TARGETS: tuple[str, ...] = tuple(language.code for language in LANGUAGES if language.code != SOURCE)
PROJECT = "Wegweiser"
_DATE_HEADERS = re.compile(rb'^"(POT-Creation-Date|PO-Revision-Date): .*\\n"\n', re.MULTILINE)

Key = tuple[str, str]
TEMPLATE_HEADER = """\
# Wegweiser: every German text a woman can see, for translation.
# Written by `wegweiser i18n extract` from flows/, content/ and the bot's text modules; do not edit.
# Each entry says where the text appears and the channel limits on its length."""
LANGUAGE_HEADER = """\
# Wegweiser: {name} translations, merged by `wegweiser i18n update`.
# Edit with Poedit or Weblate, or review with `wegweiser i18n review`.
# Reviewed: `# reviewed-by: <name> <date>`. Machine draft: fuzzy, `# machine: <provider> <date>`."""


def template_path(locale_dir: Path) -> Path:
    return locale_dir / f"{DOMAIN}.pot"


def po_path(locale_dir: Path, language: str) -> Path:
    return locale_dir / language / "LC_MESSAGES" / f"{DOMAIN}.po"


def key_of(message: Message) -> Key:
    return (message.context or "", str(message.id))


def entries(catalog: Catalog) -> Iterator[Message]:
    """The translatable entries (not the header), in file order."""
    for message in catalog:
        if message.id and isinstance(message.id, str):
            yield message


def build_template(texts: Iterable[SourceText]) -> Catalog:
    """The POT: one entry per (context, German text), with its places and notes."""
    template = Catalog(project=PROJECT, version="1", domain=DOMAIN, charset="utf-8", fuzzy=True)
    template.header_comment = TEMPLATE_HEADER
    for text in texts:
        comments = [text.note, limits_line(text.limits)] if text.limits else [text.note]
        existing = template.get(text.text, text.context or None)
        if existing is None:
            template.add(
                text.text, locations=[text.location], auto_comments=comments, context=text.context or None
            )
            continue
        existing.locations.append(text.location)
        existing.auto_comments.extend(
            comment for comment in comments if comment not in existing.auto_comments
        )
    return template


def _previous_id(message: Message) -> None:
    """Babel reads `#| msgid "..."` as a translator comment; make it the previous msgid again."""
    lines = [comment[1:].strip() for comment in message.user_comments if comment.startswith("|")]
    if not lines:
        return
    message.user_comments = [comment for comment in message.user_comments if not comment.startswith("|")]
    previous: list[str] = []
    in_msgid = False  # continuation lines of a previous msgctxt are skipped
    for line in lines:
        keyword, _, rest = line.partition(" ")
        if keyword in ("msgid", "msgid_plural"):
            previous.append(unescape(rest.strip()))
            in_msgid = True
        elif keyword == "msgctxt":
            in_msgid = False
        elif line.startswith('"') and in_msgid:
            previous[-1] += unescape(line)
    message.previous_id = previous


def read_catalog(path: Path, language: str | None = None) -> Catalog:
    """Read a PO or POT file; a syntax error raises babel's PoFileError with its line."""
    with path.open("rb") as handle:
        catalog = read_po(handle, locale=language, domain=DOMAIN, abort_invalid=True)
    for message in [*catalog, *catalog.obsolete.values()]:
        _previous_id(message)
    return catalog


def render(catalog: Catalog) -> bytes:
    """The PO file's bytes. Babel wraps `#| msgid` like a comment, which garbles a long previous German
    text; those lines are written here instead, in their usual place after the flags."""
    held = [(number, message) for number, message in enumerate(catalog) if message.previous_id]
    previous = {number: list(message.previous_id) for number, message in held}
    for number, message in held:
        message.previous_id = []
        message.user_comments.append(f"{_PREVIOUS_MARK}{number}")
    try:
        buffer = io.BytesIO()
        write_po(buffer, catalog, width=100)
    finally:
        for number, message in held:
            message.previous_id = previous[number]
            message.user_comments.remove(f"{_PREVIOUS_MARK}{number}")
    return _with_previous(buffer.getvalue().decode("utf-8"), previous).encode("utf-8")


_PREVIOUS_MARK = "wegweiser-previous "


def _with_previous(text: str, previous: dict[int, list[str]]) -> str:
    lines: list[str] = []
    waiting: list[str] = []
    for line in text.split("\n"):
        if line.startswith(f"# {_PREVIOUS_MARK}"):
            ids = previous[int(line.rsplit(" ", 1)[1])]
            for keyword, value in zip(("msgid", "msgid_plural"), ids, strict=False):
                first, *rest = normalize(value, width=100).split("\n")
                waiting += [f"#| {keyword} {first}", *(f"#| {part}" for part in rest)]
            continue
        if waiting and line.startswith(("msgctxt ", "msgid ")):
            lines += waiting
            waiting = []
        lines.append(line)
    return "\n".join(lines)


def write_catalog(path: Path, catalog: Catalog) -> bool:
    """Write atomically; skip the write when only the dates in the header would change. True if written."""
    data = render(catalog)
    if path.exists() and _DATE_HEADERS.sub(b"", path.read_bytes()) == _DATE_HEADERS.sub(b"", data):
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return True
