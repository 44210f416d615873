"""Static checks on self-hosted front-end assets (no third-party requests).

- assets/00-bootstrap.min.css: present, no external url()/@import, no source map.
- assets/glyphs/<fontstack>/<range>.pbf: MapLibre glyph PBFs that decode, carry
  the right fontstack name/range, and contain the glyphs our labels use.
"""

import re
from pathlib import Path

import pytest

ASSETS = Path(__file__).resolve().parents[2] / "assets"
BOOTSTRAP = ASSETS / "00-bootstrap.min.css"
GLYPHS = ASSETS / "glyphs"

# Names plotly.js puts in MapLibre's text-font for scattermap textfont
# family "Open Sans Regular" (weight normal / bold).
FONTSTACKS = ["Open Sans Regular", "Open Sans Bold"]
RANGES = [(0, 255), (256, 511), (8192, 8447), (8704, 8959), (9472, 9727)]
REQUIRED_CHARS = "é" "è" "ê" "à" "ç" "ô" "û" "ï" "«" "»" "Œ" "œ" "’" "–" "—" "…" "≈" "▲" "▼" "●"

BUFFER = 3  # px border around each SDF bitmap (glyph-pbf convention)


# --------------------------------------------------------------------------
# Bootstrap
# --------------------------------------------------------------------------
@pytest.fixture(scope="module")
def bootstrap_css():
    assert BOOTSTRAP.is_file(), f"missing {BOOTSTRAP}"
    return BOOTSTRAP.read_text(encoding="utf-8")


def test_bootstrap_is_bootstrap5(bootstrap_css):
    assert re.search(r"Bootstrap\s+v5\.\d+\.\d+", bootstrap_css[:500])
    assert len(bootstrap_css) > 100_000


def test_bootstrap_has_no_external_url(bootstrap_css):
    for match in re.finditer(r"url\(\s*(['\"]?)([^)'\"]*)", bootstrap_css):
        target = match.group(2).strip()
        assert target.startswith("data:"), f"non-inline url(): {target[:80]}"


def test_bootstrap_has_no_import(bootstrap_css):
    assert "@import" not in bootstrap_css


def test_bootstrap_has_no_source_map(bootstrap_css):
    assert "sourceMappingURL" not in bootstrap_css


def test_bootstrap_license_present():
    text = (ASSETS / "LICENSES" / "bootstrap-LICENSE.txt").read_text(encoding="utf-8")
    assert "MIT License" in text


# --------------------------------------------------------------------------
# Glyph PBFs: tiny protobuf decoder
# --------------------------------------------------------------------------
def _varint(buf, pos):
    result = shift = 0
    while True:
        byte = buf[pos]
        pos += 1
        result |= (byte & 0x7F) << shift
        shift += 7
        if byte < 0x80:
            return result, pos


def _fields(buf):
    pos = 0
    while pos < len(buf):
        key, pos = _varint(buf, pos)
        field, wire = key >> 3, key & 7
        if wire == 0:
            value, pos = _varint(buf, pos)
        elif wire == 2:
            length, pos = _varint(buf, pos)
            value = bytes(buf[pos : pos + length])
            pos += length
            assert len(value) == length, "truncated length-delimited field"
        else:
            raise AssertionError(f"unexpected wire type {wire}")
        yield field, value


def _unzigzag(n):
    return (n >> 1) ^ -(n & 1)


def decode_glyphs_pbf(data):
    """Return a list of {name, range, glyphs: {id: dict}} fontstacks."""
    stacks = []
    for field, value in _fields(data):
        assert field == 1, f"unexpected top-level field {field}"
        stack = {"name": None, "range": None, "glyphs": {}}
        for f, v in _fields(value):
            if f == 1:
                stack["name"] = v.decode("utf-8")
            elif f == 2:
                stack["range"] = v.decode("ascii")
            elif f == 3:
                glyph = {"bitmap": b""}
                names = {1: "id", 2: "bitmap", 3: "width", 4: "height",
                         5: "left", 6: "top", 7: "advance"}
                for gf, gv in _fields(v):
                    glyph[names[gf]] = gv
                glyph["left"] = _unzigzag(glyph["left"])
                glyph["top"] = _unzigzag(glyph["top"])
                stack["glyphs"][glyph["id"]] = glyph
        stacks.append(stack)
    return stacks


def _pbf_path(fontstack, start, end):
    return GLYPHS / fontstack / f"{start}-{end}.pbf"


@pytest.mark.parametrize("fontstack", FONTSTACKS)
@pytest.mark.parametrize("start,end", RANGES)
def test_glyph_pbf_decodes(fontstack, start, end):
    path = _pbf_path(fontstack, start, end)
    assert path.is_file(), f"missing {path}"
    stacks = decode_glyphs_pbf(path.read_bytes())
    assert len(stacks) == 1
    stack = stacks[0]
    assert stack["name"] == fontstack
    assert stack["range"] == f"{start}-{end}"
    assert stack["glyphs"], "no glyphs"
    for gid, g in stack["glyphs"].items():
        assert start <= gid <= end
        for key in ("width", "height", "left", "top", "advance"):
            assert key in g, f"glyph {gid} lacks {key}"
        if g["width"] and g["height"]:
            expected = (g["width"] + 2 * BUFFER) * (g["height"] + 2 * BUFFER)
            assert len(g["bitmap"]) == expected, f"glyph {gid}: bad bitmap size"


@pytest.mark.parametrize("fontstack", FONTSTACKS)
def test_glyphs_cover_label_characters(fontstack):
    for ch in REQUIRED_CHARS + "AZaz09 ":
        code = ord(ch)
        start = code // 256 * 256
        path = _pbf_path(fontstack, start, start + 255)
        assert path.is_file(), f"no range file for {ch!r} (U+{code:04X})"
        glyphs = decode_glyphs_pbf(path.read_bytes())[0]["glyphs"]
        assert code in glyphs, f"{fontstack}: missing glyph {ch!r} (U+{code:04X})"
        glyph = glyphs[code]
        assert glyph["advance"] > 0
        if ch != " ":
            assert glyph["width"] > 0 and glyph["bitmap"], f"{ch!r} has no bitmap"
            # SDF: the inside of the glyph reaches values above the edge (191).
            assert max(glyph["bitmap"]) > 191


def test_glyphs_total_size_is_modest():
    total = sum(p.stat().st_size for p in GLYPHS.rglob("*.pbf"))
    assert total < 1_000_000


@pytest.mark.parametrize("name", ["OpenSans-LICENSE.txt", "DejaVu-LICENSE.txt"])
def test_font_licenses_present(name):
    assert (ASSETS / "LICENSES" / name).is_file()
