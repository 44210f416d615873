"""Helpers shared by the browser tests: open the app, wait for a map, choose in a select, take a screenshot."""

from pathlib import Path

from dash.testing.wait import until
from selenium.webdriver.support.ui import Select

SCREENSHOTS = Path(__file__).resolve().parents[2] / "screenshots"


def wait_for_map(page, graph_id):
    """Wait until the plotly map inside ``#graph_id`` has drawn (its MapLibre map reports loaded)."""
    page.wait_for_element(f"#{graph_id} .js-plotly-plot")
    until(lambda: page.driver.execute_script(
        f"const gd = document.querySelector('#{graph_id} .js-plotly-plot');"
        "return !!(gd && gd._fullLayout && gd._fullLayout.map && gd._fullLayout.map._subplot"
        " && gd._fullLayout.map._subplot.map && gd._fullLayout.map._subplot.map.loaded());"), timeout=30)


def choose(page, select_id, value):
    Select(page.find_element(f"#{select_id}")).select_by_value(value)


def shot(page, name):
    """Save a screenshot under screenshots/ (to look at) and check it is not blank."""
    SCREENSHOTS.mkdir(exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.driver.save_screenshot(str(path))
    assert path.stat().st_size > 10_000


def horizontal_overflow(page) -> int:
    """Pixels the page is wider than the window (a phone layout must have none)."""
    return page.driver.execute_script(
        "return document.documentElement.scrollWidth - document.documentElement.clientWidth")
