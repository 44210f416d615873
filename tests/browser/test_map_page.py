"""The map page in real headless Chromium: controls, map values, side panel, permalinks, no console error."""

from dash.testing.wait import until
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.support.ui import Select

from tests.browser import pages
from tests.browser.pages import choose, horizontal_overflow, shot


MAP_Z = "return document.querySelector('#map-graph .js-plotly-plot')._fullData[0].z"
MAP_LOCATIONS = "return document.querySelector('#map-graph .js-plotly-plot')._fullData[0].locations"


def wait_for_map(page):
    pages.wait_for_map(page, "map-graph")


def map_values(page):
    return page.driver.execute_script(MAP_Z)


def test_map_opens_with_values_legend_ranking_and_table(page):
    page.wait_for_page(page.server_url + "/")
    wait_for_map(page)
    page.wait_for_text_to_equal("#page-content h1", "Carte des inégalités de santé")
    assert len(page.driver.execute_script(MAP_LOCATIONS)) == 18
    assert "Données fictives de démonstration" in page.find_element("#demo-notice").text
    assert "Géométrie schématique" in page.find_element("#map-legend").text
    assert len(page.find_elements("#map-table tbody tr")) == 19
    assert page.find_element("#map-summary").text.startswith("Mortalité générale")
    shot(page, "carte")
    assert page.get_logs() == []


def test_controls_change_the_map_values_and_the_panel(page):
    page.wait_for_page(page.server_url + "/")
    wait_for_map(page)
    before = map_values(page)

    choose(page, "map-axis", "cls3-2")  # Guérir: access to care
    until(lambda: "Axe 2" in page.find_element("#map-axis").text, timeout=30)
    indicator_ids = [o.get_attribute("value") for o in page.find_elements("#map-indicator option")]
    assert "child_caries" not in indicator_ids and "gp_density" in indicator_ids

    choose(page, "map-indicator", "gp_density")
    until(lambda: map_values(page) != before, timeout=30)
    assert Select(page.find_element("#map-period")).first_selected_option.get_attribute("value") == "2024"
    values_2024 = map_values(page)

    choose(page, "map-period", "2012")
    until(lambda: map_values(page) != values_2024, timeout=30)

    page.find_element("label[for='_dbcprivate_radioitems_map-level_input_iris']").click()
    until(lambda: len(page.driver.execute_script(MAP_LOCATIONS)) == 43, timeout=30)
    until(lambda: "?indicateur=gp_density&periode=2012&niveau=iris" in page.driver.current_url, timeout=30)

    page.select_dcc_dropdown("#map-area", value="Coteaux Sud-Ouest")
    page.wait_for_text_to_equal("#map-panel-title", "Coteaux Sud-Ouest")
    assert "action(s) du CLS 3 de l'axe choisi" in page.find_element("#map-panel-actions").text
    until(lambda: "quartier=682240903" in page.driver.current_url, timeout=30)
    shot(page, "carte-iris-coteaux")
    assert page.get_logs() == []


def test_clicking_an_area_on_the_map_selects_it(page):
    page.wait_for_page(page.server_url + "/")
    wait_for_map(page)
    # Where Coteaux's label point is on screen, from the map itself.
    x, y = page.driver.execute_script(
        "const gd = document.querySelector('#map-graph .js-plotly-plot');"
        "const t = gd._fullData[1]; const i = t.text.findIndex(s => s.startsWith('Coteaux'));"
        "const p = gd._fullLayout.map._subplot.map.project([t.lon[i], t.lat[i]]);"
        "return [p.x, p.y];"
    )
    canvas = page.find_element("#map-graph canvas.maplibregl-canvas")
    width, height = canvas.size["width"], canvas.size["height"]
    # From the canvas centre to a few pixels below the label (the label itself sits on the area too).
    ActionChains(page.driver).move_to_element(canvas).pause(0.2).move_by_offset(
        x - width / 2, y - height / 2 + 12).pause(0.3).click().perform()
    page.wait_for_text_to_equal("#map-panel-title", "Coteaux")
    assert page.get_logs() == []


def test_a_permalink_restores_the_view(page):
    page.wait_for_page(page.server_url + "/?indicateur=child_caries&periode=2020-2021&niveau=iris&quartier=682240901&axe=cls3-1")
    wait_for_map(page)
    assert Select(page.find_element("#map-axis")).first_selected_option.get_attribute("value") == "cls3-1"
    assert Select(page.find_element("#map-indicator")).first_selected_option.get_attribute("value") == "child_caries"
    assert Select(page.find_element("#map-period")).first_selected_option.get_attribute("value") == "2020-2021"
    assert len(page.driver.execute_script(MAP_LOCATIONS)) == 43
    page.wait_for_text_to_equal("#map-panel-title", "Coteaux Nord-Ouest")
    widths = page.driver.execute_script(
        "return document.querySelector('#map-graph .js-plotly-plot')._fullData[0].marker.line.width")
    locations = page.driver.execute_script(MAP_LOCATIONS)
    assert widths[locations.index("682240901")] > max(w for w, c in zip(widths, locations) if c != "682240901")
    assert page.get_logs() == []


def test_the_page_works_on_a_phone(page):
    page.driver.set_window_size(375, 812)
    page.wait_for_page(page.server_url + "/")
    wait_for_map(page)
    assert horizontal_overflow(page) <= 0
    shot(page, "carte-telephone")
    assert page.get_logs() == []


def radio(page, control_id, value):
    """Click the label of one option of a dbc.RadioItems."""
    page.find_element(f"label[for='_dbcprivate_radioitems_{control_id}_input_{value}']").click()


def test_smoothing_recolours_the_map_and_the_raw_values_are_one_click_away(page):
    page.wait_for_page(page.server_url + "/?indicateur=icm_premature&niveau=iris")
    wait_for_map(page)
    raw = map_values(page)
    assert "lissé" not in page.find_element("#map-legend").text

    radio(page, "map-smoothing", "local")
    until(lambda: map_values(page) != raw, timeout=30)
    until(lambda: "Carte en valeurs lissées vers les zones voisines" in page.find_element("#map-legend").text,
          timeout=30)
    assert "la valeur lissée va de" in page.find_element("#map-summary").text
    until(lambda: "lissage=local" in page.driver.current_url, timeout=30)
    smoothed = map_values(page)
    # Shrinkage: fewer areas in the extreme classes (below 80 or from 120), hidden areas (grey band) left aside.
    grey = page.driver.execute_script(
        "return document.querySelector('#map-graph .js-plotly-plot')._fullData[0].colorbar.tickvals[0]")

    def extreme(values):
        return sum(1 for v in values if v is not None and v != grey and (v < 80 or v >= 120))

    assert extreme(smoothed) < extreme(raw)
    shot(page, "carte-lissage-local")

    radio(page, "map-smoothing", "brut")
    until(lambda: map_values(page) == raw, timeout=30)
    until(lambda: "lissage" not in page.driver.current_url, timeout=30)
    assert page.get_logs() == []


def test_the_confidence_level_switch_changes_intervals_and_comparisons(page):
    page.wait_for_page(page.server_url + "/?indicateur=icm&niveau=iris&quartier=682240901")
    wait_for_map(page)
    page.wait_for_text_to_equal("#map-panel-title", "Coteaux Nord-Ouest")
    assert "Intervalle de confiance à 95" in page.find_element("#map-panel").text
    wide_before = page.find_element("#map-summary").text

    radio(page, "map-conf", "0.998")
    until(lambda: "Intervalle de confiance à 99,8" in page.find_element("#map-panel").text, timeout=30)
    until(lambda: "confiance=99.8" in page.driver.current_url, timeout=30)
    summary = page.find_element("#map-summary").text
    assert "99,8" in summary and summary != wide_before
    assert "IC à 99,8" in page.find_element("#map-table").text
    template = page.driver.execute_script(
        "return document.querySelector('#map-graph .js-plotly-plot')._fullData[0].hovertemplate")
    assert "99,8" in template
    assert page.get_logs() == []


def test_areas_under_statistical_secrecy_are_grey_and_say_why(page):
    page.wait_for_page(page.server_url + "/?indicateur=child_caries&niveau=iris&quartier=682240102")
    wait_for_map(page)
    colour_bar = page.driver.execute_script(
        "return document.querySelector('#map-graph .js-plotly-plot')._fullData[0].colorbar.ticktext")
    assert colour_bar[0] == "secret"  # a grey band below the classes
    assert "secret statistique" in page.find_element("#map-legend").text
    assert "masquée(s) par le secret statistique" in page.find_element("#map-summary").text
    assert "< 11" in page.find_element("#map-table").text
    shot(page, "carte-secret-statistique")
    assert page.get_logs() == []
