"""Every rendered part stays within Meta's limits, whatever the flows and translations hold."""

from __future__ import annotations

from hypothesis import example, given
from hypothesis import strategies as st

from bot.channels.whatsapp.render import (
    LRI,
    MAX_ROWS,
    MORE,
    RLM,
    ButtonsPart,
    DocumentPart,
    ListPart,
    LocationPart,
    LocationRequestPart,
    TextPart,
    render,
)
from bot.engine.model import Button, Document, Message, Venue

MENU = (Button("🏠 Menü", "menu"), Button("🆘 Notfall", "emergency"))


def options(count: int, title: str = "Thema") -> tuple[Button, ...]:
    return tuple(Button(f"{title} {n}", f"flow/step=v{n}") for n in range(count))


def test_up_to_three_short_choices_are_reply_buttons() -> None:
    (part,) = render(Message("Verstanden?", buttons=options(3)))
    assert isinstance(part, ButtonsPart) and len(part.buttons) == 3


def test_four_to_ten_choices_are_one_list() -> None:
    (part,) = render(Message("Wählen Sie", buttons=options(8) + MENU))
    assert isinstance(part, ListPart) and len(part.rows) == 10
    assert not any(row.id.startswith(MORE) for row in part.rows)


def test_a_long_title_makes_a_list_and_keeps_its_words_in_the_description() -> None:
    long = Button("Aufenthalt und Asyl, Familiennachzug", "flow/step=asyl")
    (part,) = render(Message("Wählen Sie", buttons=(long,)))
    assert isinstance(part, ListPart)
    assert len(part.rows[0].title) <= 24 and part.rows[0].description.startswith("Aufenthalt und Asyl")


def test_thirteen_topics_and_fifteen_places_page_with_menu_and_emergency_on_every_page() -> None:
    for count in (13, 15, 16, 40):
        buttons = options(count) + MENU
        seen: set[str] = set()
        for page in range(10):
            (part,) = render(Message("Wählen Sie", buttons=buttons), page=page)
            assert isinstance(part, ListPart) and len(part.rows) <= MAX_ROWS
            ids = [row.id for row in part.rows]
            assert "menu" in ids and "emergency" in ids
            assert any(row_id.startswith(MORE) for row_id in ids)
            seen.update(row_id for row_id in ids if "=" in row_id)
        assert seen == {button.payload for button in buttons if "=" in button.payload}


def test_right_to_left_text_starts_with_the_mark_and_numbers_stay_in_order() -> None:
    parts = render(Message("اتصلي بالرقم 0800 116 016\nمجاناً", dir="rtl", buttons=options(2)))
    (part,) = parts
    assert isinstance(part, ButtonsPart)
    assert all(line.startswith(RLM) for line in part.body.split("\n"))
    assert LRI + "0800 116 016" in part.body
    assert all(button.title.startswith(RLM) for button in part.buttons)


def test_long_text_is_split_at_4096_and_the_choices_follow_the_last_part() -> None:
    text = "\n\n".join("Absatz " + "x" * 900 for _ in range(10))
    parts = render(Message(text, buttons=options(2)))
    assert all(isinstance(part, TextPart) and len(part.body) <= 4096 for part in parts[:-1])
    assert isinstance(parts[-1], ButtonsPart) and len(parts[-1].body) <= 1024


def test_venue_document_and_location_request_have_their_own_messages() -> None:
    venue = Venue(50.8, 6.48, "Beratung", "Bismarckstraße 1, 52351 Düren")
    calendar = Document("workshop.ics", "text/calendar", "BEGIN:VCALENDAR")
    kinds = [type(part) for part in render(Message("Hier", venue=venue, document=calendar))]
    assert kinds == [TextPart, LocationPart, DocumentPart]
    from bot.channels.whatsapp.render import Labels

    asked = render(
        Message("Wo wohnen Sie?", buttons=options(3)), Labels(share_location="📍 Standort"), location=True
    )
    assert isinstance(asked[0], LocationRequestPart)


@given(
    st.lists(st.text(min_size=0, max_size=60), min_size=1, max_size=30),
    st.text(max_size=5000),
    st.integers(min_value=0, max_value=5),
)
@example(["Beratung für Frauen mit Zuwanderungsgeschichte"] * 6, "Bitte wählen", 0)  # long twins
def test_any_menu_fits_meta_limits(titles: list[str], text: str, page: int) -> None:
    buttons = tuple(Button(title, f"f/s=v{n}") for n, title in enumerate(titles)) + MENU
    for part in render(Message(text, buttons=buttons), page=page):
        if isinstance(part, ButtonsPart):
            assert 1 <= len(part.buttons) <= 3 and len(part.body) <= 1024
            assert all(1 <= len(b.title) <= 20 for b in part.buttons)
            assert len({b.title for b in part.buttons}) == len(part.buttons)
        elif isinstance(part, ListPart):
            assert 1 <= len(part.rows) <= 10 and 1 <= len(part.body) <= 4096
            assert all(1 <= len(r.title) <= 24 and len(r.description) <= 72 for r in part.rows)
            assert len({r.id for r in part.rows}) == len(part.rows)
        elif isinstance(part, TextPart):
            assert 1 <= len(part.body) <= 4096
