"""Fixtures for the end-to-end tests: Debian's Chromium driven by Playwright's sync API.

The browser starts once per session. Each test opens its contexts through `new_context`,
which points them at pytest-django's `live_server` and closes them afterwards.
"""

import os
from pathlib import Path

import pytest
from django.conf import settings

# Playwright's sync API keeps an asyncio event loop in the test thread, and Django refuses
# ORM calls from a thread with a running loop unless told otherwise. The ORM calls here
# (factories, pytest-django's database setup) are plain synchronous code, so this is safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

# Debian's package, installed by `make browser`; Playwright never downloads a browser here.
CHROMIUM = Path("/usr/bin/chromium")
# Without the background-networking flags Chromium keeps calling Google services, which
# floods a closed network with failing connections.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
SCREENSHOTS = Path(__file__).resolve().parent / "screenshots"
# Per action or navigation; a page of this portal answers in well under a second.
TIMEOUT_MS = 15_000
NEXT_FRAMES = "() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))"


def _unavailable(reason: str):
    """Fail in CI (REQUIRE_SERVICES), skip elsewhere."""
    if settings.REQUIRE_SERVICES:
        pytest.fail(f"{reason} (REQUIRE_SERVICES is on, so the end-to-end test must run).", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium for the whole session; closed, with Playwright, at the end."""
    if not (CHROMIUM.is_file() and os.access(CHROMIUM, os.X_OK)):
        _unavailable(f"Needs Debian's Chromium at {CHROMIUM}: run `make browser` (apt-get install chromium).")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("Needs the playwright package: run `make install-dev`.")

    playwright = sync_playwright().start()
    try:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
    except Exception:
        playwright.stop()
        raise
    try:
        yield browser
    finally:
        browser.close()
        playwright.stop()


@pytest.fixture
def new_context(browser, live_server):
    """Open a browser context on the live server (zh-CN, desktop size); all are closed afterwards."""
    contexts = []

    def open_context(**options):
        context = browser.new_context(
            **{
                "base_url": live_server.url,
                "locale": "zh-CN",
                "viewport": DESKTOP,
                # Charts draw at once, without animation, so a screenshot shows them finished.
                "reduced_motion": "reduce",
                **options,
            }
        )
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        return context

    yield open_context
    for context in contexts:
        context.close()


@pytest.fixture
def screenshot():
    """Save a full-page PNG of `page` as tests/e2e/screenshots/<name>.png (CI artifacts).

    Chromium's own full-page capture (beyond the viewport) leaves the side navigation
    blank on pages taller than the window, so the window is first stretched to the
    page's height, and put back afterwards.
    """
    SCREENSHOTS.mkdir(exist_ok=True)

    def save(page, name: str) -> Path:
        path = SCREENSHOTS / f"{name}.png"
        viewport = page.viewport_size
        # Right after a viewport change the styles of the old width may linger for a frame:
        # measure only once two frames have been drawn.
        page.evaluate(NEXT_FRAMES)
        height = page.evaluate("() => document.documentElement.scrollHeight")
        if viewport and height > viewport["height"]:
            page.set_viewport_size({"width": viewport["width"], "height": height})
        try:
            page.screenshot(path=str(path), full_page=True)
        finally:
            if viewport:
                page.set_viewport_size(viewport)
        return path

    return save
