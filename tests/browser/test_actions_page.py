"""The "Actions du CLS" and "Réseau Villes-Santé" pages in headless Chromium: filters, bars, map, export."""

from pathlib import Path

from dash.testing import errors
from dash.testing.wait import until
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.support.ui import Select

from tests.browser import pages
from tests.browser.pages import SCREENSHOTS, choose, horizontal_overflow, shot

MAP_Z = "return document.querySelector('#actions-map .js-plotly-plot')._fullData[0].z"
MAP_WIDTHS = "return document.querySelector('#actions-map .js-plotly-plot')._fullData[0].marker.line.width"
MAP_LOCATIONS = "return document.querySelector('#actions-map .js-plotly-plot')._fullData[0].locations"


def wait_for_map(page):
    pages.wait_for_map(page, "actions-map")


def cards(page):
    return page.find_elements("#actions-list .action-card")


def test_a_steering_committee_member_sees_cls3_guerir_against_needs(page):
    page.driver.set_window_size(1280, 4200)
    page.wait_for_page(page.server_url + "/actions?contrat=cls3&axe=cls3-2")
    wait_for_map(page)
    page.wait_for_text_to_equal("#page-content h1", "Actions du Contrat local de santé")
    assert page.find_element("#actions-summary").text.startswith("3 action(s) — CLS 3 · 2023-2028 · Axe 2 — Guérir")
    assert len(cards(page)) == 3
    assert len(page.find_elements("#actions-list .cls-bar")) == 5
    assert len(page.find_elements("#actions-list .cls-bar-target")) == 5
    assert "% de l'objectif" in page.find_element("#actions-list").text
    assert len(page.driver.execute_script(MAP_LOCATIONS)) == 18
    assert "Besoin :" in page.find_element("#actions-needs").text
    # Mortality (the default need) is significantly high in Brustlein, where no action of the axis is targeted.
    assert "Brustlein" in page.find_element("#actions-needs-headline").text
    assert "Comité de pilotage" not in page.find_element("#actions-governance").text  # CLS 3: not in our sources
    shot(page, "actions-cls3-guerir")
    cards(page)[0].screenshot(str(SCREENSHOTS / "actions-fiche-action.png"))
    page.find_element("#actions-map").screenshot(str(SCREENSHOTS / "actions-carte.png"))
    assert page.get_logs() == []


def test_filters_change_the_list_the_bars_the_map_and_the_url(page):
    page.wait_for_page(page.server_url + "/actions")
    wait_for_map(page)
    assert len(cards(page)) == 10
    all_axes = page.driver.execute_script(MAP_Z)

    choose(page, "actions-axis", "cls3-2")
    until(lambda: len(cards(page)) == 3, timeout=30)
    until(lambda: page.driver.execute_script(MAP_Z) != all_axes, timeout=30)
    bars = len(page.find_elements("#actions-list .cls-bar"))

    choose(page, "actions-from", "2026")  # Handiconsult (2023-2025) is over by then
    until(lambda: len(cards(page)) == 2, timeout=30)
    assert len(page.find_elements("#actions-list .cls-bar")) < bars
    until(lambda: "periode=2026-2028" in page.driver.current_url, timeout=30)

    page.select_dcc_dropdown("#actions-area", value="Coteaux")
    until(lambda: "Coteaux" in page.find_element("#actions-summary").text, timeout=30)
    until(lambda: "quartier=6822409" in page.driver.current_url, timeout=30)
    widths = page.driver.execute_script(MAP_WIDTHS)
    locations = page.driver.execute_script(MAP_LOCATIONS)
    assert widths[locations.index("6822409")] > max(w for w, c in zip(widths, locations) if c != "6822409")
    assert page.get_logs() == []


def click_label(page, name):
    """Click a quartier's label point on the map, where it is on screen now."""
    canvas = page.find_element("#actions-map canvas.maplibregl-canvas")
    page.driver.execute_script("arguments[0].scrollIntoView({block: 'center'});", canvas)
    x, y = page.driver.execute_script(
        "const gd = document.querySelector('#actions-map .js-plotly-plot');"
        "const t = gd._fullData[1]; const i = t.text.findIndex(s => s.startsWith(arguments[0]));"
        "const p = gd._fullLayout.map._subplot.map.project([t.lon[i], t.lat[i]]);"
        "return [p.x, p.y];", name)
    width, height = canvas.size["width"], canvas.size["height"]
    ActionChains(page.driver).move_to_element(canvas).pause(0.2).move_by_offset(
        x - width / 2, y - height / 2).pause(0.3).click().perform()


def summary_names(page, name):
    return name in page.find_element("#actions-summary").text


def test_clicking_a_quartier_on_the_map_keeps_its_actions(page):
    page.wait_for_page(page.server_url + "/actions?contrat=cls3")
    wait_for_map(page)
    # The map resizes to its CSS height after its first draw: wait until the canvas fills the plot area.
    until(lambda: page.driver.execute_script(
        "const gd = document.querySelector('#actions-map .js-plotly-plot');"
        "const c = gd.querySelector('canvas.maplibregl-canvas').getBoundingClientRect();"
        "const m = gd._fullLayout.margin; return Math.abs(c.height - (gd.clientHeight - m.t - m.b)) < 2;"), timeout=30)
    # A canvas has no element to click: aim at the label point, and aim again if a late re-layout moved the map.
    for _attempt in range(3):
        click_label(page, "Brustlein")
        try:
            until(lambda: summary_names(page, "Brustlein"), timeout=30)
            break
        except errors.TestingTimeoutError:
            continue
    until(lambda: summary_names(page, "Brustlein"), timeout=30)
    assert all("Toute la ville" in card.text for card in cards(page))  # no action targets Brustlein itself
    assert page.get_logs() == []


def test_exports_download_the_filtered_actions(page):
    page.wait_for_page(page.server_url + "/actions?contrat=cls3&axe=cls3-2")
    wait_for_map(page)
    page.driver.execute_cdp_cmd("Page.setDownloadBehavior", {"behavior": "allow", "downloadPath": page.download_path})
    page.find_element("#actions-export-actions").click()
    target = Path(page.download_path) / "cls_cls3_cls3-2_2023-2028_actions.csv"
    until(lambda: target.exists() and target.stat().st_size > 0, timeout=30)
    text = target.read_text(encoding="utf-8-sig")
    assert "# Licence : Licence Ouverte" in text and text.count("\ncls3-a0") == 3
    page.find_element("#actions-export-xlsx").click()
    workbook = Path(page.download_path) / "cls_cls3_cls3-2_2023-2028.xlsx"
    until(lambda: workbook.exists() and workbook.stat().st_size > 0, timeout=30)
    assert page.get_logs() == []


def test_the_network_page_shows_the_published_surveys_with_mulhouse_highlighted(page):
    page.driver.set_window_size(1280, 2200)
    page.wait_for_page(page.server_url + "/reseau")
    page.wait_for_element("#network-reasons .js-plotly-plot")
    assert "◆ MULHOUSE" in page.find_element("#network-cities tr.highlight").text
    assert "29 sur 36" in page.find_element("#network-2012-answers").text
    assert len(page.find_elements("#network-cities tbody tr")) == 36
    shot(page, "reseau-villes-sante")
    assert page.get_logs() == []


def test_the_actions_page_works_on_a_phone(page):
    page.driver.set_window_size(375, 812)
    page.wait_for_page(page.server_url + "/actions?contrat=cls3&axe=cls3-2")
    wait_for_map(page)
    assert horizontal_overflow(page) <= 0
    shot(page, "actions-telephone")
    assert page.get_logs() == []


def test_choosing_another_contract_shows_its_actions_axes_years_and_governance(page):
    page.wait_for_page(page.server_url + "/actions")
    wait_for_map(page)
    choose(page, "actions-contract", "cls1")
    until(lambda: len(cards(page)) == 12, timeout=30)
    assert Select(page.find_element("#actions-from")).first_selected_option.get_attribute("value") == "2012"
    assert Select(page.find_element("#actions-to")).first_selected_option.get_attribute("value") == "2014"
    axes = [o.get_attribute("value") for o in page.find_elements("#actions-axis option") if o.get_attribute("value")]
    assert axes == ["tous"] + [f"cls1-{n}" for n in range(1, 12)]  # "every axis" and the 11 priorities
    governance = page.find_element("#actions-governance").text
    assert "Centre Hospitalier de Rouffach" in governance and "12 juillet 2012" in governance
    until(lambda: "contrat=cls1&periode=2012-2014" in page.driver.current_url, timeout=30)
    assert page.get_logs() == []
