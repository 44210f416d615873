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


@pytest.fixture
def dash_duo(dash_duo):
    """dash_duo with 30 s waits: conditions still end the wait at once, a loaded CI machine just gets longer."""
    from selenium.webdriver.support.ui import WebDriverWait

    dash_duo._wait_timeout = 30
    dash_duo._wd_wait = WebDriverWait(dash_duo.driver, 30)
    return dash_duo


@pytest.fixture
def page(dash_duo, dash_app):
    """The app served on 127.0.0.1 with a headless Chromium pointed at it."""
    dash_duo.start_server(dash_app)
    return dash_duo
