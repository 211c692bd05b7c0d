"""Deep links and QR codes for flyers."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.channels.telegram import deep_link, fetch_username, write_qr
from tests.fakes.telegram_api import FakeTelegram


def test_a_link_carries_language_flow_and_source() -> None:
    link = deep_link("wegweiser_dn_bot", "ar", "counselling", "ik12")
    assert link == "https://t.me/wegweiser_dn_bot?start=ar-counselling-ik12"
    assert (
        deep_link("@wegweiser_dn_bot", source="flyer_2026")
        == "https://t.me/wegweiser_dn_bot?start=flyer_2026"
    )
    assert deep_link("wegweiser_dn_bot") == "https://t.me/wegweiser_dn_bot"


@pytest.mark.parametrize(
    ("arguments", "problem"),
    [
        (("wegweiser_dn_bot", "xx"), "unknown language"),
        (("wegweiser_dn_bot", "ar", "counselling", "ik-12"), "source"),
        (("wegweiser_dn_bot", "ar", "bera tung"), "flow"),
        (("wegweiser_dn_bot", "ar", "f" * 32, "s" * 32), "64"),
        (("not a name",), "username"),
    ],
)
def test_links_telegram_would_refuse_are_refused(arguments: tuple[str, ...], problem: str) -> None:
    with pytest.raises(ValueError, match=problem):
        deep_link(*arguments)


def test_qr_codes_are_written_as_png_or_svg(tmp_path: Path) -> None:
    link = deep_link("wegweiser_dn_bot", "uk", "counselling", "ik12")
    write_qr(link, tmp_path / "flyer.png")
    write_qr(link, tmp_path / "flyer.svg")
    assert (tmp_path / "flyer.png").read_bytes().startswith(b"\x89PNG")
    assert "<svg" in (tmp_path / "flyer.svg").read_text()
    with pytest.raises(ValueError, match="png"):
        write_qr(link, tmp_path / "flyer.pdf")


async def test_the_username_comes_from_getme(fake: FakeTelegram) -> None:
    username = await fetch_username(fake.token, fake.base_url)
    assert deep_link(username, "fa") == "https://t.me/wegweiser_test_bot?start=fa"
