"""What a machine must not touch is taken out before and checked after."""

from __future__ import annotations

import pytest

from bot.translation.protect import LostParts, placeholders, protect, restore, tags


def test_placeholders_tags_numbers_links_commands_and_emoji_are_protected() -> None:
    text = (
        "Hallo {name}, rufen Sie 0800 116 016 an, <b>jetzt</b>. Mehr: https://example.org/hilfe. /delete ℹ️ ok"
    )
    protected = protect(text)
    assert protected.parts == (
        "{name}",
        "0800 116 016",
        "<b>",
        "</b>",
        "https://example.org/hilfe",
        "/delete",
        "ℹ️",
    )
    assert "{" not in protected.text and "0800" not in protected.text and "/delete" not in protected.text
    assert restore(protected.text, protected) == text


def test_leading_emoji_stays_in_front() -> None:
    protected = protect("🗑️ Ja, alles löschen")
    assert (protected.head, protected.text) == ("🗑️ ", "Ja, alles löschen")
    assert restore("نعم، احذف كل شيء", protected) == "🗑️ نعم، احذف كل شيء"


def test_tokens_may_come_back_reordered_or_in_other_digits() -> None:
    protected = protect("Seite {page} von {pages}")
    assert restore("⟦١⟧ من ⟦٠⟧ الصفحة", protected) == "{pages} من {page} الصفحة"


@pytest.mark.parametrize("answer", ["Seite von", "Seite ⟦0⟧ von ⟦0⟧", "Seite ⟦0⟧ von ⟦1⟧ ⟦2⟧"])
def test_a_lost_doubled_or_invented_part_is_refused(answer: str) -> None:
    with pytest.raises(LostParts):
        restore(answer, protect("Seite {page} von {pages}"))


def test_placeholders_and_tags_are_compared_as_sets_of_names() -> None:
    assert placeholders("{b} und {a}") == placeholders("{a} and {b}")
    assert tags('<a href="x">Link</a>') == tags("<a href='y'>رابط</a>") == ["/a", "a"]
