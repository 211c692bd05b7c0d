"""The web chat in a real headless Chromium, against the real bot started as `python -m bot run`.

Debian's `chromium` is driven by Python Playwright (`executable_path`), since Playwright's own browser
download cannot work here. Screenshots go to `WEGWEISER_ARTIFACTS_DIR` (CI keeps it) or the test's
temporary folder; the path is printed, so a failing run shows where to look.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.async_api import Browser, FloatRect, Geolocation, Page, ViewportSize, async_playwright, expect

from bot.store import Store
from tests.conftest import require_or_skip

PROJECT_ROOT = Path(__file__).resolve().parents[2]
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-quic",
]
PHONE = ViewportSize(width=360, height=640)
STARTUP_DEADLINE_SECONDS = 60.0
DUEREN = Geolocation(latitude=50.8036, longitude=6.4822)


@dataclass(frozen=True)
class RunningBot:
    url: str
    log: Path
    database_url: str


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def wait_until_healthy(url: str, process: subprocess.Popen[bytes], log: Path) -> None:
    """Poll `/health` until the bot answers; fail with its log if it dies or never comes up."""
    deadline = time.monotonic() + STARTUP_DEADLINE_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(
                f"the bot exited with {process.returncode}:\n{log.read_text(errors='replace')[-4000:]}"
            )
        try:
            if httpx.get(f"{url}/health", timeout=1.0).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    pytest.fail(f"the bot did not become healthy:\n{log.read_text(errors='replace')[-4000:]}")


@pytest.fixture(scope="module")
def chromium() -> str:
    path = shutil.which("chromium")
    if path is None:
        require_or_skip(
            "Chromium is not installed (apt-get install chromium fonts-noto-core fonts-noto-extra)"
        )
    return path


@pytest.fixture(scope="module")
def bot(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningBot]:
    """The real bot (web chat on SQLite), as `wegweiser run` starts it."""
    folder = tmp_path_factory.mktemp("bot")
    port = free_port()
    env = {key: value for key, value in os.environ.items() if not key.startswith("WEGWEISER_")}
    database_url = f"sqlite:///{folder / 'w.db'}"
    env.update(
        WEGWEISER_DATABASE_URL=database_url,
        WEGWEISER_PORT=str(port),
        WEGWEISER_HOST="127.0.0.1",
        WEGWEISER_WEB_REQUESTS_PER_MINUTE="0",  # these tests play many women from one address
    )
    log = folder / "bot.log"
    with log.open("wb") as output:
        process = subprocess.Popen(
            [sys.executable, "-m", "bot", "run"], cwd=folder, env=env, stdout=output, stderr=subprocess.STDOUT
        )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_healthy(url, process, log)
        yield RunningBot(url, log, database_url)
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture
async def browser(chromium: str) -> AsyncIterator[Browser]:
    async with async_playwright() as playwright:
        launched = await playwright.chromium.launch(
            executable_path=chromium, args=CHROMIUM_ARGS, headless=True
        )
        yield launched
        await launched.close()


async def open_chat(browser: Browser, url: str) -> Page:
    context = await browser.new_context(
        viewport=PHONE,
        locale="de-DE",
        geolocation=DUEREN,
        permissions=["geolocation"],
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
    )
    page = await context.new_page()
    await page.goto(url)
    await expect(page.locator(".bubble.bot").first).to_be_visible()
    return page


async def settled(page: Page) -> None:
    """Wait until no request is pending (the page marks `body.busy` while it waits for the bot)."""
    await expect(page.locator("body")).not_to_have_class(re.compile(r"\bbusy\b"))


async def offered(page: Page, payload: str) -> bool:
    return await page.locator(f'.bubble.bot button[data-payload="{payload}"]').count() > 0


async def tap(page: Page, *candidates: str) -> str:
    """Tap the newest button whose payload contains one of `candidates` (tried in order).

    Buttons are found by payload, not title, so the walk works in every language.
    """
    await settled(page)
    buttons = page.locator(".bubble.bot button[data-payload]")
    payloads: Sequence[str] = [
        await button.get_attribute("data-payload") or "" for button in await buttons.all()
    ]
    for candidate in candidates:
        for index in reversed(range(len(payloads))):
            if candidate in payloads[index]:
                await buttons.nth(index).click()
                return payloads[index]
    raise AssertionError(f"no button for any of {candidates}; the chat offers {payloads}")


async def box_of(page: Page, selector: str) -> FloatRect:
    box = await page.locator(selector).last.bounding_box()
    assert box is not None, f"{selector} is not rendered"
    return box


async def test_arabic_reads_right_to_left_and_leads_to_counselling(
    browser: Browser, bot: RunningBot, tmp_path: Path
) -> None:
    artifacts = Path(os.environ.get("WEGWEISER_ARTIFACTS_DIR") or tmp_path)
    artifacts.mkdir(parents=True, exist_ok=True)
    print(f"screenshots: {artifacts}  bot log: {bot.log}")
    page = await open_chat(browser, bot.url)
    try:
        await page.select_option("#language", "ar")
        await expect(page.locator("html")).to_have_attribute("dir", "rtl")
        await expect(page.locator("html")).to_have_attribute("lang", "ar")
        await settled(page)

        bot_bubble = page.locator(".bubble.bot").last
        assert await bot_bubble.get_attribute("dir") == "rtl"
        assert await bot_bubble.evaluate("element => getComputedStyle(element).direction") == "rtl"
        # Mirrored: in Arabic the bot speaks from the right, her choice stands on the left.
        hers = await box_of(page, ".bubble.her")
        bots = await box_of(page, ".bubble.bot")
        assert hers["x"] < 40, f"her bubble should hug the left edge in RTL, got {hers}"
        assert bots["x"] + bots["width"] > PHONE["width"] - 40, (
            f"the bot's bubble should hug the right edge, got {bots}"
        )
        assert await page.locator(".bubble.her").last.text_content() == "العربية"
        await page.screenshot(path=artifacts / "web-chat-ar-start.png")

        await settled(page)
        if await offered(page, "welcome/privacy=yes"):
            await tap(page, "welcome/privacy=yes")
        if not await offered(page, "main_menu/choose=counselling"):
            await page.fill("#text", "/menu")
            await page.click("#send")
        await tap(page, "main_menu/choose=counselling")
        await tap(page, "find_counselling/ask_topic=violence")
        await tap(page, "find_counselling/ask_place=dueren")

        offer = page.locator(".bubble.bot", has=page.locator('a[href^="tel:"]')).or_(
            page.locator(".bubble.bot", has_text="116 016")
        )
        await expect(offer.first).to_be_visible()
        assert await page.evaluate("document.documentElement.dir") == "rtl"
        phone = page.locator('.bubble.bot a[href^="tel:"]').first
        if await phone.count():
            assert await phone.get_attribute("dir") == "ltr"
        await offer.first.scroll_into_view_if_needed()
        await page.screenshot(path=artifacts / "web-chat-ar-offer.png")
    except BaseException:
        await page.screenshot(path=artifacts / "web-chat-ar-failure.png")
        print(f"failure screenshot: {artifacts / 'web-chat-ar-failure.png'}")
        raise


async def test_her_text_is_shown_as_text_never_as_markup(browser: Browser, bot: RunningBot) -> None:
    page = await open_chat(browser, bot.url)
    markup = '<img src=x onerror="document.body.dataset.hacked=1"> <b>fett</b>'

    await page.fill("#text", markup)
    await page.click("#send")

    her = page.locator(".bubble.her").last
    await expect(her).to_have_text(markup)
    await settled(page)
    assert await page.locator(".log img, .log b").count() == 0
    assert await page.evaluate("document.body.dataset.hacked") is None


async def test_review_mode_shows_where_each_text_comes_from(browser: Browser, bot: RunningBot) -> None:
    page = await open_chat(browser, f"{bot.url}/?review=1")

    meta = page.locator(".bubble.bot .meta").first
    await expect(meta).to_be_visible()
    assert " · " in (await meta.text_content() or "")


async def test_new_conversation_starts_a_fresh_session(browser: Browser, bot: RunningBot) -> None:
    page = await open_chat(browser, bot.url)
    first = await page.evaluate("sessionStorage.getItem('wegweiser.session')")

    await settled(page)
    await page.click("#new-conversation")
    await expect(page.locator(".bubble.bot").first).to_be_visible()

    second = await page.evaluate("sessionStorage.getItem('wegweiser.session')")
    assert first != second
    assert len(second) >= 8
    assert await page.locator(".bubble.her").count() == 0
    store = Store(bot.database_url)
    try:
        assert store.load("web", first) is None, "the old conversation is erased on the server at once"
        assert store.load("web", second) is not None
    finally:
        store.dispose()


async def test_delete_traces_clears_the_page(browser: Browser, bot: RunningBot) -> None:
    page = await open_chat(browser, bot.url)
    await tap(page, "welcome/choose_language=de")
    await tap(page, "welcome/privacy=yes")
    await tap(page, "main_menu/choose=traces")
    assert await page.locator(".bubble").count() > 3
    await tap(page, "delete_traces/confirm=yes")
    await settled(page)
    texts = await page.locator(".bubble.bot").all_inner_texts()
    assert texts[0].startswith("🧹"), texts
    assert await page.locator(".bubble.her").count() == 0
    await page.close()


async def test_tigrinya_renders_in_ethiopic_glyphs(browser: Browser, bot: RunningBot, tmp_path: Path) -> None:
    """Tigrinya needs the Ethiopic font (Debian's fonts-noto-core); without it she would see empty boxes."""
    artifacts = Path(os.environ.get("WEGWEISER_ARTIFACTS_DIR") or tmp_path)
    artifacts.mkdir(parents=True, exist_ok=True)
    page = await open_chat(browser, bot.url)
    await page.select_option("#language", "ti")
    await expect(page.locator("html")).to_have_attribute("lang", "ti")
    await settled(page)
    await expect(page.locator("html")).to_have_attribute("dir", "ltr")
    text = await page.locator(".bubble.bot").last.inner_text()
    assert any("\u1200" <= char <= "\u137f" for char in text), "the bot answers in Ge'ez script"
    # A missing glyph is drawn as the same box for every letter; real glyphs differ in width.
    widths = await page.evaluate(
        """() => {
            const context = document.createElement("canvas").getContext("2d");
            context.font = getComputedStyle(document.querySelector(".bubble.bot")).font;
            const letters = ["ሀ", "ሐ", "ሙ", "ት", "ግ", "ር", "ኛ", "\\u0378"];
            return letters.map((letter) => context.measureText(letter).width);
        }"""
    )
    *letters, unassigned = widths
    assert len({round(width, 1) for width in letters}) > 1 or letters[0] != unassigned
    await page.locator(".bubble.bot").last.scroll_into_view_if_needed()
    await page.screenshot(path=artifacts / "web-chat-ti.png")
    await page.close()


async def direction_of(bubble: Any) -> tuple[str | None, str | None, str]:
    """The bubble's `dir` and `lang` attributes and the direction Chromium computed for its text."""
    computed = await bubble.locator(".text").evaluate("element => getComputedStyle(element).direction")
    return await bubble.get_attribute("dir"), await bubble.get_attribute("lang"), str(computed)


@pytest.mark.parametrize("language", ["ar", "fa"])
async def test_offer_cards_and_the_emergency_list_read_right_to_left(
    browser: Browser, bot: RunningBot, tmp_path: Path, language: str
) -> None:
    """Cards built from many pieces are in her language and direction, with German names, numbers,
    addresses and links isolated as <bdi>, so they neither turn the line nor move its punctuation."""
    artifacts = Path(os.environ.get("WEGWEISER_ARTIFACTS_DIR") or tmp_path)
    artifacts.mkdir(parents=True, exist_ok=True)
    page = await open_chat(browser, bot.url)
    try:
        await tap(page, f"welcome/choose_language={language}")
        await tap(page, "welcome/privacy=yes")
        await tap(page, "main_menu/choose=counselling")
        await tap(page, "find_counselling/ask_topic=violence")
        await tap(page, "find_counselling/ask_place=dueren")
        await settled(page)
        card = page.locator('.bubble.bot[data-msgid^="offer/"]').first
        await expect(card).to_be_visible()
        assert await direction_of(card) == ("rtl", language, "rtl")
        assert await card.get_attribute("data-status") in ("draft", "reviewed")
        isolated = [text.strip() for text in await card.locator("bdi").all_inner_texts()]
        assert any(re.fullmatch(r"[0-9 ]{6,}", text) for text in isolated), isolated  # the phone number
        assert any(text.startswith("http") for text in isolated), isolated  # the web address
        await card.scroll_into_view_if_needed()
        await page.screenshot(path=artifacts / f"web-chat-{language}-offer-card.png")

        await tap(page, "emergency")
        await settled(page)
        intro = page.locator('.bubble.bot[data-msgid="emergency/intro"]').last
        assert await direction_of(intro) == ("rtl", language, "rtl")
        # The question mark of her language ends the sentence on the left, not at the start on the right.
        first_line = (await intro.locator("p").first.inner_text()).strip()
        assert not first_line.startswith(("?", "؟", ".")), first_line
        lead = page.locator('.bubble.bot[data-msgid="action_show_emergency/lead"]').last
        assert await direction_of(lead) == ("rtl", language, "rtl")
        numbers = await lead.locator("bdi").all_inner_texts()
        assert {"110", "112", "116 016"} <= {number.strip() for number in numbers}
        await tap(page, "emergency_more")
        await settled(page)
        details = page.locator('.bubble.bot[data-msgid="action_show_emergency/numbers"]').last
        assert await direction_of(details) == ("rtl", language, "rtl")
        await details.scroll_into_view_if_needed()
        await page.screenshot(path=artifacts / f"web-chat-{language}-emergency.png")
        await intro.scroll_into_view_if_needed()
        await page.screenshot(path=artifacts / f"web-chat-{language}-emergency-lead.png")
    except BaseException:
        await page.screenshot(path=artifacts / f"web-chat-{language}-cards-failure.png")
        raise
    finally:
        await page.close()
