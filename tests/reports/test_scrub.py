"""Property tests of the scrubber: phone numbers and e-mail addresses in many formats and scripts."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from bot.reports.scrub import EMAIL_MARK, HANDLE_MARK, PHONE_MARK, scrub

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


def test_dates_prices_and_postcodes_are_kept() -> None:
    text = (
        "Am 12.03.2024 (oder 2024-03-12, ١٢.٠٣.٢٠٢٤) sollte ich 1.200,00 € zahlen, in 52349 Düren, 3 Zimmer."
    )
    assert scrub(text).text == text


def test_messenger_handles_are_removed() -> None:
    scrubbed = scrub("Schreib mir auf Telegram: @fatima_k99!")
    assert scrubbed.text == f"Schreib mir auf Telegram: {HANDLE_MARK}!"
    assert scrubbed.handles == 1
