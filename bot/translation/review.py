"""The review sheet for interpreters: German beside the translation, in conversation order.

`review_rows` reads one language's catalog into rows (the PO file is already in the order she meets the
texts, flow by flow); `review_html` renders them as one self-contained page that opens in any browser,
right to left where the language is written so, with every channel limit checked.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

from babel.messages.catalog import Catalog

from bot.i18n.languages import BY_CODE, direction
from bot.i18n.status import State, note_of, review_of, state_of
from bot.translation.limits import Limit, broken, parse_limits
from bot.translation.po import entries


@dataclass(frozen=True)
class Row:
    context: str
    german: str
    translation: str
    state: State
    reviewer: str
    note: str
    limits: tuple[Limit, ...]
    where: str

    @property
    def section(self) -> str:
        """The flow (or content kind) the text belongs to: the first part of its context."""
        return self.context.split("/")[0]

    @property
    def too_long(self) -> list[Limit]:
        return broken(self.translation, self.limits) if self.translation else []


def review_rows(catalog: Catalog) -> list[Row]:
    rows = []
    for message in entries(catalog):
        review = review_of(message)
        notes = [comment for comment in message.auto_comments if not comment.startswith("Limits: ")]
        rows.append(
            Row(
                context=message.context or "",
                german=str(message.id),
                translation=message.string if isinstance(message.string, str) else "",
                state=state_of(message),
                reviewer=str(review) if review and state_of(message) is State.REVIEWED else "",
                note=note_of(message),
                limits=tuple(parse_limits(message.auto_comments)),
                where=" ".join(notes),
            )
        )
    return rows


_STYLE = """
body { font-family: "Noto Sans", "Noto Sans Arabic", "Noto Sans Ethiopic", system-ui, sans-serif;
       margin: 1.5rem; }
table { border-collapse: collapse; width: 100%; margin-bottom: 2rem; }
th, td { border: 1px solid #bbb; padding: .4rem .6rem; vertical-align: top; text-align: start; }
th { background: #eee; }
td.id { font-family: monospace; font-size: .8rem; color: #555; }
td.text { white-space: pre-wrap; width: 35%; }
.state-missing { background: #fde2e2; } .state-reviewed { background: #e3f6e3; }
.state-outdated { background: #fff1c9; } .state-machine, .state-draft { background: #f4f4f4; }
.too-long { color: #a40000; font-weight: bold; }
small { color: #555; }
"""


def _row_html(row: Row, language: str, rtl: bool) -> str:
    flags = "".join(
        f'<div class="too-long">⚠ {len(row.translation)} characters, {escape(str(limit))}</div>'
        for limit in row.too_long
    )
    limits = "; ".join(str(limit) for limit in row.limits)
    state = escape(row.state.label) + (f"<br><small>{escape(row.reviewer)}</small>" if row.reviewer else "")
    note = f"<br><small>{escape(row.note)}</small>" if row.note else ""
    return (
        f'<tr class="state-{row.state.value}">'
        f'<td class="id">{escape(row.context)}<br><small>{escape(row.where)}</small></td>'
        f'<td class="text" lang="de" dir="ltr">{escape(row.german)}<br><small>{escape(limits)}</small></td>'
        f'<td class="text" lang="{language}" dir="{"rtl" if rtl else "ltr"}">'
        f"{escape(row.translation)}{flags}</td>"
        f"<td>{state}{note}</td></tr>"
    )


def review_html(language: str, rows: list[Row]) -> str:
    """One page, one table per flow or content kind, in conversation order."""
    info = BY_CODE.get(language)
    name = f"{info.native_name} ({info.english_name})" if info else language
    rtl = direction(language) == "rtl"
    problems = sum(1 for row in rows if row.too_long)
    parts = [
        "<!doctype html>",
        f'<html lang="{language}"><head><meta charset="utf-8">',
        f"<title>Wegweiser – {escape(name)}</title><style>{_STYLE}</style></head><body>",
        f"<h1>Wegweiser: Deutsch → {escape(name)}</h1>",
        f"<p>{len(rows)} Texte · {sum(row.state is State.REVIEWED for row in rows)} geprüft (reviewed) · "
        f"{sum(row.state is State.MISSING for row in rows)} fehlen (missing) · "
        f"{problems} zu lang (too long)</p>",
    ]
    header = "<tr><th>ID</th><th>Deutsch</th><th>Übersetzung (translation)</th><th>Status</th></tr>"
    section = None
    for row in rows:
        if row.section != section:
            if section is not None:
                parts.append("</table>")
            section = row.section
            parts.append(f"<h2>{escape(section)}</h2><table>{header}")
        parts.append(_row_html(row, language, rtl))
    if section is not None:
        parts.append("</table>")
    parts.append("</body></html>")
    return "\n".join(parts)
