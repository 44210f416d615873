"""The real-data path: IGN CONTOURS-IRIS 2020 of Mulhouse (../shared) replaces the schematic demo geometry."""

import pytest
import shapely

from dashboard import figures, geometry, indicators, store


@pytest.fixture(scope="module")
def real(real_geometry_settings):
    return store.load_dataset(real_geometry_settings)


def test_real_boundaries_give_43_iris_in_18_quartiers(real):
    assert len(real.areas_of("iris")) == 43
    assert len(real.areas_of("quartier")) == 18
    assert real.commune["code"] == "68224" and real.commune["name"] == "Mulhouse"
    assert not real.schematic_geometry


def test_quartier_names_stay_unique_where_the_mapping_repeats_a_label(real):
    names = real.areas_of("quartier")["name"]
    assert names.is_unique
    assert {"Bourtzwiller (6822415)", "Bourtzwiller (6822417)"} <= set(names)


def test_dissolved_quartiers_cover_the_commune(real):
    quartiers = geometry.shapes(real, "quartier").to_crs(2154)
    assert quartiers.geometry.is_valid.all()
    # The IRIS union is 22.38 km² (PROVENANCE.md); overlaps between neighbours are about 0.05 km².
    assert shapely.union_all(quartiers.geometry).area / 1e6 == pytest.approx(22.38, abs=0.1)


def test_indicators_on_real_boundaries_match_the_counts(real, demo):
    on_real = indicators.compute(real, "icm", "2018-2023", "quartier").table.set_index("code")
    on_demo = indicators.compute(demo, "icm", "2018-2023", "quartier").table.set_index("code")
    # Same counts keyed by the same official codes: geometry changes nothing in the numbers.
    assert (on_real["numerator"] == on_demo.loc[on_real.index, "numerator"]).all()


def test_map_figure_on_real_boundaries_has_every_area_and_no_schematic_notice(real):
    result = indicators.compute(real, "child_caries", "2023-2024", "iris")
    figure = figures.map_figure(real, result, figures.classes_for(real, "child_caries", "iris"))
    assert len(figure["data"][0]["geojson"]["features"]) == 43 + 18
    assert "schématique" not in figure["layout"]["annotations"][0]["text"]


def test_a_mapping_missing_an_iris_is_refused_in_french(real_geometry_settings, tmp_path):
    mapping = tmp_path / "mapping.csv"
    lines = real_geometry_settings.iris_quartier_csv.read_text(encoding="utf-8").splitlines()
    mapping.write_text("\n".join(lines[:-1]) + "\n", encoding="utf-8")
    settings = type(real_geometry_settings)(iris_geojson=real_geometry_settings.iris_geojson,
                                            iris_quartier_csv=mapping)
    with pytest.raises(store.DataError, match="IRIS sans quartier"):
        store.load_dataset(settings)
