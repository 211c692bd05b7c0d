"""`i18n check` (run in CI): every catalog is there, compiles, and cannot break a message.

Problems point at a file and line: a translation whose placeholders or HTML tags differ from the German
(the bot would crash or show raw markup), a text longer than a channel allows (read from the limits line
of each entry), a language without a catalog, a catalog that does not parse or compile, a catalog that
misses texts of the template (run `i18n update`), a template that misses texts of the flows (run
`i18n extract`).
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from pathlib import Path

from babel.messages.catalog import Catalog, Message
from babel.messages.mofile import write_mo
from babel.messages.pofile import PoFileError

from bot.problem import Problem
from bot.translation.limits import broken, parse_limits
from bot.translation.po import TARGETS, entries, key_of, po_path, read_catalog, template_path
from bot.translation.protect import placeholders, tags
from bot.translation.sources import SourceText


def _name(path: Path, root: Path | None) -> str:
    if root is not None:
        try:
            return path.resolve().relative_to(root.resolve()).as_posix()
        except ValueError:
            pass
    return path.as_posix()


def check_message(message: Message, file: str) -> list[Problem]:
    """Placeholders, tags and limits of one translated entry."""
    translation = message.string if isinstance(message.string, str) else ""
    if not translation:
        return []
    german = str(message.id)
    line = message.lineno or 1
    where = f"[{message.context}] " if message.context else ""
    problems = []
    if placeholders(translation) != placeholders(german):
        problems.append(
            Problem(
                file,
                line,
                f"{where}placeholders {placeholders(translation)} differ from the German "
                f"{placeholders(german)}",
            )
        )
    if tags(translation) != tags(german):
        problems.append(
            Problem(file, line, f"{where}HTML tags {tags(translation)} differ from the German {tags(german)}")
        )
    for limit in broken(translation, parse_limits(message.auto_comments)):
        problems.append(Problem(file, line, f"{where}{len(translation)} characters, over {limit}"))
    return problems


def _source_place(message: Message, file: str) -> tuple[str, int]:
    """Where the German is written (`flows/report.yml:59`), else the template entry."""
    for location, line in message.locations:
        if line:
            return location, line
    return file, message.lineno or 1


def check_template(template: Catalog, file: str) -> list[Problem]:
    """German texts that are already too long for their channel, reported where they are written."""
    return [
        Problem(
            *_source_place(message, file),
            f"[{message.context}] German text: {len(str(message.id))} characters, over {limit}",
        )
        for message in entries(template)
        for limit in broken(str(message.id), parse_limits(message.auto_comments))
    ]


def check_compiles(catalog: Catalog, file: str) -> list[Problem]:
    """Babel's own checks, and a real compile to a .mo file."""
    problems = [
        Problem(file, message.lineno or 1, f"[{message.context}] {error}")
        for message, errors in catalog.check()
        for error in errors
    ]
    try:
        write_mo(io.BytesIO(), catalog, use_fuzzy=True)
    except Exception as error:  # babel raises assorted errors on broken catalogs
        problems.append(Problem(file, 1, f"does not compile: {error}"))
    return problems


def _read(path: Path, file: str, language: str | None) -> tuple[Catalog | None, list[Problem]]:
    try:
        return read_catalog(path, language), []
    except PoFileError as error:
        return None, [Problem(file, error.lineno + 1, f"does not parse: {error}")]  # babel counts from 0
    except Exception as error:
        return None, [Problem(file, 1, f"does not parse: {error}")]


def check_locale(
    locale_dir: Path, languages: Iterable[str] = TARGETS, root: Path | None = None
) -> list[Problem]:
    """All problems of the template and every language's catalog."""
    pot = template_path(locale_dir)
    pot_name = _name(pot, root)
    if not pot.exists():
        return [Problem(pot_name, 1, "the template is missing: run `wegweiser i18n extract`")]
    template, problems = _read(pot, pot_name, None)
    if template is None:
        return problems
    problems += check_template(template, pot_name)
    wanted = {key_of(message) for message in entries(template)}
    for language in languages:
        path = po_path(locale_dir, language)
        file = _name(path, root)
        if not path.exists():
            problems.append(
                Problem(file, 1, f"no catalog for language {language!r}: run `wegweiser i18n update`")
            )
            continue
        catalog, read_problems = _read(path, file, language)
        problems += read_problems
        if catalog is None:
            continue
        present = {key_of(message) for message in entries(catalog)}
        if wanted - present:
            problems.append(
                Problem(
                    file,
                    1,
                    f"{len(wanted - present)} text(s) of the template missing: run `wegweiser i18n update`",
                )
            )
        for message in entries(catalog):
            problems += check_message(message, file)
        problems += check_compiles(catalog, file)
    return problems


def check_sources(texts: Iterable[SourceText], locale_dir: Path, root: Path | None = None) -> list[Problem]:
    """Texts of the flows and content that the template lacks (the template is older than the sources)."""
    pot = template_path(locale_dir)
    if not pot.exists():
        return []
    template, problems = _read(pot, _name(pot, root), None)
    if template is None:
        return problems
    present = {key_of(message) for message in entries(template)}
    return [
        Problem(
            text.location[0],
            text.location[1],
            f"[{text.context}] not in the template: run `wegweiser i18n extract`",
        )
        for text in texts
        if (text.context, text.text) not in present
    ]
