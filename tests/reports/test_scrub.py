"""Tests of the scrubber: phone numbers, e-mail addresses, handles, links, addresses and names."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.reports.scrub import (
    ADDRESS_MARK,
    EMAIL_MARK,
    HANDLE_MARK,
    LINK_MARK,
    NAME_MARK,
    PHONE_MARK,
    scrub,
    shown_in,
)

SCRIPTS = {
    "latin": "0123456789",
    "arabic-indic": "٠١٢٣٤٥٦٧٨٩",
    "persian": "۰۱۲۳۴۵۶۷۸۹",
}
# Words around the number: letters of several scripts and punctuation, but no digits, `+`, `(` or `@`.
WORDS = st.text(
    alphabet=st.sampled_from(list("abcxyz ÄÖÜäöüß تمييزسكن فارسی житлоквартира ,;:!?")), max_size=30
).map(str.strip)


def in_script(digits: str, script: str) -> str:
    return "".join(SCRIPTS[script][int(digit)] for digit in digits)


@st.composite
def phone_numbers(draw: st.DrawFn) -> str:
    """German and international numbers as people write them."""
    script = draw(st.sampled_from(sorted(SCRIPTS)))
    separator = draw(st.sampled_from([" ", "-", "/", ".", " - ", " / ", "", "  "]))
    groups = draw(st.lists(st.text(alphabet="0123456789", min_size=2, max_size=4), min_size=2, max_size=4))
    subscriber = separator.join(groups)
    area = draw(st.text(alphabet="0123456789", min_size=2, max_size=4))
    style = draw(st.sampled_from(["national", "paren", "plus", "double_zero", "plus_zero", "mobile"]))
    if style == "national":
        number = f"0{area}{separator}{subscriber}"
    elif style == "paren":
        number = f"(0{area}) {subscriber}"
    elif style == "plus":
        country = draw(st.sampled_from(["49", "963", "380", "93", "90", "1", "98"]))
        number = f"+{country} {area}{separator}{subscriber}"
    elif style == "double_zero":
        country = draw(st.sampled_from(["49", "963", "380", "98"]))
        number = f"00{country}{separator}{area}{separator}{subscriber}"
    elif style == "plus_zero":
        number = f"+49 (0) {area}{separator}{subscriber}"
    else:
        number = f"01{draw(st.sampled_from(['51', '52', '60', '70', '76']))}{separator}{subscriber}"
    if sum(char.isdigit() for char in number) < 6:
        number += "1234"
    digits_only = "".join(in_script(char, script) if char.isdigit() else char for char in number)
    return digits_only


@st.composite
def email_addresses(draw: st.DrawFn) -> str:
    local = draw(st.from_regex(r"[A-Za-z0-9][A-Za-z0-9._+-]{0,15}[A-Za-z0-9]", fullmatch=True))
    domain = draw(st.from_regex(r"[a-z0-9]([a-z0-9-]{0,10}[a-z0-9])?", fullmatch=True))
    tld = draw(st.sampled_from(["de", "com", "org", "info", "ua"]))
    at = draw(st.sampled_from(["@", "@", " (at) ", "[at]", "＠"]))
    return f"{local}{at}{domain}.{tld}"


@given(WORDS, phone_numbers(), WORDS)
def test_phone_numbers_are_removed_in_every_format_and_script(before: str, number: str, after: str) -> None:
    scrubbed = scrub(f"{before} {number} {after}")
    assert scrubbed.text == f"{before} {PHONE_MARK} {after}"
    assert scrubbed.phones == 1
    assert not any(char.isdecimal() for char in scrubbed.text)


@given(WORDS, email_addresses(), WORDS)
def test_email_addresses_are_removed(before: str, address: str, after: str) -> None:
    scrubbed = scrub(f"{before} {address} {after}")
    assert scrubbed.text == f"{before} {EMAIL_MARK} {after}"
    assert scrubbed.emails == 1 and scrubbed.changed


@given(WORDS)
def test_text_without_numbers_or_addresses_is_kept_as_written(words: str) -> None:
    scrubbed = scrub(words)
    assert scrubbed.text == words
    assert not scrubbed.changed


@given(st.text(max_size=200))
def test_scrubbing_leaves_nothing_to_scrub(text: str) -> None:
    once = scrub(text).text
    again = scrub(once)
    assert again.text == once
    assert not again.changed


@given(st.lists(phone_numbers(), min_size=1, max_size=4))
def test_every_number_in_a_text_is_counted(numbers: list[str]) -> None:
    scrubbed = scrub(" und ".join(numbers))
    assert scrubbed.phones == len(numbers)
    assert scrubbed.text == " und ".join([PHONE_MARK] * len(numbers))


def test_dates_and_prices_are_kept() -> None:
    text = "Am 12.03.2024 (oder 2024-03-12, ١٢.٠٣.٢٠٢٤) sollte ich 1.200,00 € zahlen, 3 Zimmer, 70 m²."
    assert scrub(text).text == unicodedata.normalize("NFKC", text)


@pytest.mark.parametrize(
    ("written", "kept"),
    [
        ("Schreib an f a t i m a @ gmx . de bitte", f"Schreib an {EMAIL_MARK} bitte"),
        ("test＠example．com", EMAIL_MARK),
        ("Mail: fatima (at) web (dot) de", f"Mail: {EMAIL_MARK}"),
        ("Auf Insta @fatima.k.92 schreiben", f"Auf Insta {HANDLE_MARK} schreiben"),
        ("https://www.instagram.com/fatima.k/ oder tiktok.com/@x_y", f"{LINK_MARK} oder {LINK_MARK}"),
        ("fb.com/fatima.k.92 und t.me/fatima_k", f"{LINK_MARK} und {LINK_MARK}"),
        (
            "Die Wohnung in der Kölner Straße 12 in 52349 Düren",
            f"Die Wohnung in der {ADDRESS_MARK} in {ADDRESS_MARK}",
        ),
        ("Rosenweg 3a, Am Markt 4, Schillerstr. 7", f"{ADDRESS_MARK}, {ADDRESS_MARK}, {ADDRESS_MARK}"),
        ("Herr Müller sagte nein, Frau Anna Schmidt auch", f"{NAME_MARK} sagte nein, {NAME_MARK} auch"),
        ("Mrs. Smith and Madame Dubois", f"{NAME_MARK} and {NAME_MARK}"),
        ("пан Коваленко і пані Олена", f"{NAME_MARK} і {NAME_MARK}"),
        ("السيد أحمد قال لا والسيدة", f"{NAME_MARK} قال لا والسيدة"),
        ("آقای رضایی گفت نه", f"{NAME_MARK} گفت نه"),
        ("Ahmet Bey ve Bay Yılmaz", f"{NAME_MARK} ve {NAME_MARK}"),
    ],
)
def test_addresses_names_links_and_disguised_emails_are_removed(written: str, kept: str) -> None:
    scrubbed = scrub(written)
    assert scrubbed.text == kept and scrubbed.changed
    assert scrub(scrubbed.text).text == scrubbed.text


def test_her_summary_shows_the_marks_in_her_language() -> None:
    text = scrub("Herr Müller, 0151 2345678").text
    shown = shown_in(text, {NAME_MARK: "[الاسم محذوف]", PHONE_MARK: "[رقم الهاتف محذوف]"}.__getitem__)
    assert shown == "[الاسم محذوف], [رقم الهاتف محذوف]"


def test_messenger_handles_are_removed() -> None:
    scrubbed = scrub("Schreib mir auf Telegram: @fatima_k99!")
    assert scrubbed.text == f"Schreib mir auf Telegram: {HANDLE_MARK}!"
    assert scrubbed.handles == 1
