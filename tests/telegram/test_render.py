"""Rendering rules, checked against Telegram's own parser rules as the fake server implements them."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from bot.channels.telegram.render import (
    LRI,
    MAX_TEXT,
    PDI,
    RLM,
    TextBubble,
    VenueBubble,
    keyboard,
    render,
    safe_payload,
    split_text,
    utf16_length,
)
from bot.engine.model import Button, Message, Venue
from tests.fakes.telegram_api import parse_html


def test_markup_characters_are_escaped_and_read_back_unchanged() -> None:
    [bubble] = render(Message("<b>Tom & Jerry</b> > 3"))
    assert isinstance(bubble, TextBubble)
    assert bubble.html == "&lt;b&gt;Tom &amp; Jerry&lt;/b&gt; &gt; 3"
    assert parse_html(bubble.html) == "<b>Tom & Jerry</b> > 3"


def test_a_long_text_is_split_at_paragraphs_and_the_buttons_go_under_the_last_part() -> None:
    paragraph = "Beratung in Ihrer Sprache. " * 60  # about 1,600 characters
    text = "\n\n".join([paragraph.strip()] * 6)
    bubbles = render(Message(text, buttons=(Button("Menü", "menu"),)))
    assert len(bubbles) == 3
    assert all(isinstance(b, TextBubble) and len(parse_html(b.html)) <= MAX_TEXT for b in bubbles)
    assert all(isinstance(b, TextBubble) and parse_html(b.html).endswith("Sprache.") for b in bubbles)
    assert [isinstance(b, TextBubble) and bool(b.rows) for b in bubbles] == [False, False, True]


def test_a_paragraph_without_breaks_is_split_at_spaces_then_hard() -> None:
    assert [len(part) for part in split_text("x" * 10_000)] == [4096, 4096, 1808]
    assert all(len(part) <= 4096 for part in split_text("wort " * 3000))


def test_emoji_count_twice_as_telegram_counts_them() -> None:
    parts = split_text("🆘" * 3000)
    assert all(utf16_length(part) <= MAX_TEXT for part in parts)
    assert "".join(parts) == "🆘" * 3000


@given(st.text(alphabet=st.characters(blacklist_categories=["Cs"]), max_size=12_000))
def test_any_text_survives_splitting_and_escaping(text: str) -> None:
    bubbles = render(Message(text))
    plain = [parse_html(b.html) for b in bubbles if isinstance(b, TextBubble)]
    assert all(0 < len(part) <= MAX_TEXT for part in plain)
    assert "".join("".join(plain).split()) == "".join(text.split()) or not text.strip()


def test_right_to_left_lines_are_marked_and_phone_numbers_keep_their_order() -> None:
    [bubble] = render(Message("اتصلي بنا\nالهاتف: 02421 22-1234\n\nDüren", dir="rtl"))
    assert isinstance(bubble, TextBubble)
    lines = parse_html(bubble.html).split("\n")
    assert [line[:1] for line in lines] == [RLM, RLM, "", RLM]
    assert f"{LRI}02421 22-1234{PDI}" in lines[1]


def test_left_to_right_text_gets_no_marks() -> None:
    [bubble] = render(Message("Telefon: 02421 22-1234"))
    assert isinstance(bubble, TextBubble)
    assert bubble.html == "Telefon: 02421 22-1234"


def test_tel_links_become_plain_numbers_that_telegram_links_itself() -> None:
    [bubble] = render(Message("Hilfetelefon: tel:+49 800 0116 016"))
    assert isinstance(bubble, TextBubble)
    assert bubble.html == "Hilfetelefon: +49 800 0116 016"


def test_a_venue_follows_its_text() -> None:
    place = Venue(50.8, 6.48, "Beratungsstelle", "Markt 1, Düren")
    bubbles = render(Message("Hier:", venue=place))
    assert isinstance(bubbles[0], TextBubble) and bubbles[1] == VenueBubble(place)


def test_many_short_buttons_share_rows_long_ones_do_not() -> None:
    languages = tuple(
        Button(name, f"lang:{name[:2].lower()}") for name in ["Deutsch", "English", "Türkçe", "Kurdî"]
    )
    assert [len(row) for row in keyboard(languages)] == [2, 2]
    long = tuple(Button("Diskriminierung bei der Wohnung melden", f"p{n}") for n in range(4))
    assert [len(row) for row in keyboard(long)] == [1, 1, 1, 1]


def test_right_to_left_button_titles_are_marked() -> None:
    [[button]] = keyboard((Button("القائمة", "menu"),), rtl=True)
    assert button.title == RLM + "القائمة"


def test_payloads_are_short_ascii_whatever_a_flow_says() -> None:
    assert safe_payload("find_counselling/ask_topic=health") == "find_counselling/ask_topic=health"
    assert safe_payload("x" * 80) == "x" * 64
    assert safe_payload("lang:عربي") == "lang:"
    assert safe_payload("عربي") == "menu"


def test_a_number_the_message_isolated_already_is_not_isolated_again() -> None:
    [bubble] = render(Message("☎ \u2066116 016\u2069 – هاتف المساعدة\nالهاتف: 02421 22-1234", dir="rtl"))
    assert isinstance(bubble, TextBubble)
    text = parse_html(bubble.html)
    assert "\u2066116 016\u2069" in text and text.count(LRI) == 2
    assert f"{LRI}02421 22-1234{PDI}" in text
