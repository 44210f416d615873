"""The portrait and methods pages in headless Chromium: permalinks, area selector, links from the map, print."""

import base64

from dash.testing.wait import until
from selenium.common.exceptions import ElementClickInterceptedException, StaleElementReferenceException

from dashboard import indicators
from tests.browser.pages import SCREENSHOTS, horizontal_overflow, shot

SPINE_X = ("const gd = document.querySelector('#portrait-spine .js-plotly-plot');"
           "return gd && gd._fullData && gd._fullData[2] ? gd._fullData[2].x : null;")


def click(page, selector):
    """Click once the element holds still and is uncovered (the map page re-renders its panel after loading)."""
    def attempt():
        try:
            element = page.find_element(selector)
            page.driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", element)
            element.click()
        except (StaleElementReferenceException, ElementClickInterceptedException):
            return False
        return True

    until(attempt, timeout=30)


def text_of(page, selector):
    """The element's text, read again if the page replaced the element meanwhile."""
    read = {}

    def attempt():
        try:
            read["text"] = page.find_element(selector).text
        except StaleElementReferenceException:
            return False
        return True

    until(attempt, timeout=30)
    return read["text"]


def spine_markers(page):
    """The x of the area's markers on the spine chart, once it is drawn."""
    until(lambda: page.driver.execute_script(SPINE_X) is not None, timeout=30)
    return page.driver.execute_script(SPINE_X)


def test_a_portrait_permalink_opens_the_area_and_the_selector_changes_it(page, demo):
    page.wait_for_page(page.server_url + "/portrait?quartier=6822409")
    page.wait_for_text_to_equal("#portrait-title", "Coteaux")
    before = spine_markers(page)
    assert len(page.find_elements("#portrait-table-content tbody tr")) == len(indicators.catalogue(demo))
    coteaux_table = text_of(page, "#portrait-table-content")
    shot(page, "portrait-coteaux")

    page.select_dcc_dropdown("#portrait-area", value="Rebberg")
    page.wait_for_text_to_equal("#portrait-title", "Rebberg", timeout=30)
    until(lambda: spine_markers(page) != before, timeout=30)
    until(lambda: text_of(page, "#portrait-table-content") != coteaux_table, timeout=30)
    until(lambda: "/portrait?quartier=6822407&niveau=quartier" in page.driver.current_url, timeout=30)
    assert page.get_logs() == []


def test_the_confidence_level_switch_widens_the_intervals(page):
    page.wait_for_page(page.server_url + "/portrait?quartier=6822409")
    page.wait_for_text_to_equal("#portrait-title", "Coteaux")
    spine_markers(page)
    page.find_element("label[for='_dbcprivate_radioitems_portrait-conf_input_0.998']").click()
    page.wait_for_contains_text("#portrait-table-content thead", "IC à 99,8", timeout=30)
    until(lambda: "confiance=99.8" in page.driver.current_url, timeout=30)
    assert page.get_logs() == []


def test_switching_to_iris_shows_an_iris_of_the_quartier(page):
    page.wait_for_page(page.server_url + "/portrait?quartier=6822409")
    page.wait_for_text_to_equal("#portrait-title", "Coteaux")
    page.find_element("label[for='_dbcprivate_radioitems_portrait-level_input_iris']").click()
    page.wait_for_text_to_equal("#portrait-title", "Coteaux Nord-Ouest", timeout=30)
    until(lambda: "quartier=682240901&niveau=iris" in page.driver.current_url, timeout=30)
    page.wait_for_contains_text("#portrait-table-content", "effectif insuffisant")
    assert page.get_logs() == []


def test_the_map_panel_links_to_the_portrait(page):
    page.wait_for_page(page.server_url + "/?quartier=6822409")
    page.wait_for_element("#map-portrait-link")
    click(page, "#map-portrait-link")
    page.wait_for_text_to_equal("#portrait-title", "Coteaux")
    assert "/portrait?quartier=6822409&niveau=quartier" in page.driver.current_url
    assert page.get_logs() == []


def test_the_map_legend_leads_to_the_indicator_s_method(page):
    page.wait_for_page(page.server_url + "/?indicateur=child_caries")
    page.wait_for_element("#map-methods-link")
    click(page, "#map-methods-link")
    page.wait_for_element("#child_caries h2")
    assert page.driver.current_url.endswith("/methodes#child_caries")
    # Landed on the anchor: the section's heading is at the top of the window.
    until(lambda: abs(page.driver.execute_script(
        "return document.getElementById('child_caries').getBoundingClientRect().top")) < 40, timeout=30)
    assert "Wilson" in page.find_element("#child_caries").text
    shot(page, "methodes-caries")
    assert page.get_logs() == []


def test_the_portrait_reads_on_a_phone(page):
    page.driver.set_window_size(375, 812)
    page.wait_for_page(page.server_url + "/portrait?quartier=6822409")
    page.wait_for_text_to_equal("#portrait-title", "Coteaux")
    spine_markers(page)
    assert horizontal_overflow(page) <= 0
    page.driver.execute_script("document.getElementById('portrait-spine').scrollIntoView({behavior: 'instant'})")
    shot(page, "portrait-telephone")
    assert page.get_logs() == []


def test_the_printed_portrait_keeps_chart_table_and_notice_on_a4(page):
    page.wait_for_page(page.server_url + "/portrait?quartier=6822409")
    page.wait_for_text_to_equal("#portrait-title", "Coteaux")
    spine_markers(page)
    page.driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
    hidden = page.driver.execute_script(
        "return ['.navbar', '.portrait-controls', 'footer'].map("
        "s => getComputedStyle(document.querySelector(s)).display)")
    assert hidden == ["none", "none", "none"]
    shown = page.driver.execute_script(
        "return ['#demo-notice', '#portrait-spine', '#portrait-table'].map("
        "s => getComputedStyle(document.querySelector(s)).display)")
    assert "none" not in shown
    assert page.driver.execute_script("return getComputedStyle(document.body).backgroundColor") == "rgb(255, 255, 255)"
    # Printable width of A4 with 12 mm margins: 186 mm, about 703 CSS px; the chart fits in it.
    assert page.driver.execute_script(
        "return document.querySelector('#portrait-spine .main-svg').getBoundingClientRect().width") <= 703
    pdf = page.driver.execute_cdp_cmd("Page.printToPDF", {"preferCSSPageSize": True, "printBackground": True})
    assert len(pdf["data"]) > 10_000
    (SCREENSHOTS / "portrait-coteaux.pdf").write_bytes(base64.b64decode(pdf["data"]))
    shot(page, "portrait-impression")
    assert page.get_logs() == []
