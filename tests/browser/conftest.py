"""Browser tests: pytest-playwright driving Debian's chromium against pytest-django's live_server.

Skipped when /usr/bin/chromium is missing, except under CI (env CI set), where that is a failure.
Screenshots of the main pages are written to docs/screenshots/ only when SCREENSHOTS=1.
"""

import os
from pathlib import Path

import pytest

# live_server runs in a thread; Playwright's sync API runs an event loop in this one, which Django would refuse.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = Path("/usr/bin/chromium")
SCREENSHOT_DIR = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not CHROMIUM.exists():
        message = f"{CHROMIUM} is missing: install Debian's chromium (apt-get install chromium) to run browser tests"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return {
        **browser_type_launch_args,
        "executable_path": str(CHROMIUM),
        "headless": True,
        "args": [
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
        ],
    }  # fmt: skip


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "viewport": {"width": 1280, "height": 800}, "locale": "en-US"}


@pytest.fixture
def screenshot():
    """screenshot(page, "name"): save docs/screenshots/name.png when SCREENSHOTS=1; otherwise do nothing."""

    def take(page, name: str, *, full_page: bool = True):
        if os.environ.get("SCREENSHOTS") == "1":
            SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(SCREENSHOT_DIR / f"{name}.png"), full_page=full_page)

    return take
