"""Browser tests run in Debian's headless Chromium through dash[testing]'s dash_duo."""

import shutil

import pytest
from selenium.webdriver.chrome.options import Options


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath).replace("\\", "/"):
            item.add_marker(pytest.mark.browser)


def pytest_setup_options():
    """Chrome options for dash_duo: Debian's chromium, headless, as root, offline."""
    options = Options()
    chromium = shutil.which("chromium") or "/usr/bin/chromium"
    options.binary_location = chromium
    for argument in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--no-first-run",
        "--disable-sync",
        "--window-size=1280,900",
    ):
        options.add_argument(argument)
    return options
