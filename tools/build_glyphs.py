#!/usr/bin/env python3
"""Build MapLibre SDF glyph PBFs so map labels are served by the app itself.

The map style's ``glyphs`` URL points at ``/assets/glyphs/{fontstack}/{range}.pbf``
instead of a third-party font server. This script writes those files:

    assets/glyphs/Open Sans Regular/0-255.pbf
    assets/glyphs/Open Sans Regular/256-511.pbf
    ...
    assets/glyphs/Open Sans Bold/9472-9727.pbf

Fontstack names are the ones plotly.js (3.x) puts into the MapLibre
``text-font`` property for a ``scattermap`` trace: ``textfont.family``
"Open Sans Regular" (also plotly's fallback for unsupported families) gives
"Open Sans Regular"; family "Open Sans Bold", or weight "bold"/700 with
"Open Sans Regular", gives "Open Sans Bold". A single-font ``text-font`` array
means ``{fontstack}`` in the URL is just that name (no comma).

Format: mapbox/glyph-pbf protobuf, written by hand (no protobuf dependency)::

    message glyphs    { repeated fontstack stacks = 1; }
    message fontstack { required string name = 1; required string range = 2;
                        repeated glyph glyphs = 3; }
    message glyph     { required uint32 id = 1; optional bytes bitmap = 2;
                        required uint32 width = 3; required uint32 height = 4;
                        required sint32 left = 5; required sint32 top = 6;
                        required uint32 advance = 7; }

Conventions follow node-fontnik / sdf-glyph-foundry: font size 24 px, a 3 px
buffer around each glyph (bitmap is (width+6)*(height+6) bytes), SDF radius 8,
cutoff 0.25 (edge value 191), ``top`` = glyph top minus the font ascender.

The SDF is computed by rasterising each glyph at 8x supersampling with
freetype-py, taking Euclidean distance transforms (scipy) inside and outside
the outline, and averaging the signed distance over each 24 px-scale pixel.

Dev-only dependencies: ``freetype-py`` (pip), ``scipy``/``numpy``, and the
Debian packages ``fonts-open-sans`` and ``fonts-dejavu-core``.

Usage::

    .venv/bin/python tools/build_glyphs.py            # writes assets/glyphs/
    .venv/bin/python tools/build_glyphs.py --out DIR
"""

from __future__ import annotations

import argparse
import math
import shutil
import sys
from pathlib import Path

import numpy as np
from scipy.ndimage import distance_transform_edt

try:
    import freetype
except ImportError:  # pragma: no cover - dev tool
    sys.exit("freetype-py is required: .venv/bin/pip install freetype-py")

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUT = REPO_ROOT / "assets" / "glyphs"

OPEN_SANS_DIR = Path("/usr/share/fonts/truetype/open-sans")
DEJAVU_DIR = Path("/usr/share/fonts/truetype/dejavu")

# fontstack name -> (primary TTF candidates, fallback TTF)
FONTSTACKS = {
    "Open Sans Regular": (
        [OPEN_SANS_DIR / "OpenSans-Regular.ttf", DEJAVU_DIR / "DejaVuSans.ttf"],
        DEJAVU_DIR / "DejaVuSans.ttf",
    ),
    "Open Sans Bold": (
        [OPEN_SANS_DIR / "OpenSans-Bold.ttf", DEJAVU_DIR / "DejaVuSans-Bold.ttf"],
        DEJAVU_DIR / "DejaVuSans-Bold.ttf",
    ),
}

# Ranges MapLibre will request for our labels: Latin-1 (French accents, « »),
# Latin Extended-A/B (Œ œ), General Punctuation (’ – — … narrow nbsp),
# Mathematical Operators (≈ ≠ ≤ ≥), Geometric Shapes (▲ ▼ ●).
RANGES = [(0, 255), (256, 511), (8192, 8447), (8704, 8959), (9472, 9727)]

# Code points the fallback font may fill in when the primary font lacks them:
# Latin-1 + Latin Extended-A, General Punctuation (e.g. U+202F narrow no-break
# space, U+2011 non-breaking hyphen), and a curated list of symbols. Latin
# Extended-B and the rest of the symbol blocks are left out to keep files small.
FALLBACK_BLOCKS = [(0x0000, 0x017F), (0x2000, 0x206F)]
FALLBACK_SYMBOLS = set(
    "≈≠≤≥±−∞∼≃"  # maths
    "▲△▴▵▶▷▸▹►▻▼▽▾▿◀◁◂◃◄◅"  # triangles
    "●○◌◍◎◉◦◯"  # circles
    "■□▪▫▬▭▮▯◆◇◊◈"  # squares / diamonds
)

SIZE = 24  # px, fontnik convention
BUFFER = 3  # px around each glyph bitmap
RADIUS = 8.0  # px covered by the 0..255 SDF ramp
CUTOFF = 0.25  # fraction of the ramp inside the glyph (edge = 191)
SUPERSAMPLE = 8


# --------------------------------------------------------------------------
# Minimal protobuf writer
# --------------------------------------------------------------------------
def _varint(value: int) -> bytes:
    if value < 0:
        raise ValueError("varint must be non-negative")
    out = bytearray()
    while True:
        byte = value & 0x7F
        value >>= 7
        if value:
            out.append(byte | 0x80)
        else:
            out.append(byte)
            return bytes(out)


def _zigzag32(value: int) -> int:
    return ((value << 1) ^ (value >> 31)) & 0xFFFFFFFF


def _key(field: int, wire_type: int) -> bytes:
    return _varint((field << 3) | wire_type)


def _field_varint(field: int, value: int) -> bytes:
    return _key(field, 0) + _varint(value)


def _field_bytes(field: int, data: bytes) -> bytes:
    return _key(field, 2) + _varint(len(data)) + data


def encode_glyph(g: dict) -> bytes:
    out = _field_varint(1, g["id"])
    if g["bitmap"]:
        out += _field_bytes(2, g["bitmap"])
    out += _field_varint(3, g["width"])
    out += _field_varint(4, g["height"])
    out += _field_varint(5, _zigzag32(g["left"]))
    out += _field_varint(6, _zigzag32(g["top"]))
    out += _field_varint(7, g["advance"])
    return out


def encode_glyphs_pbf(name: str, start: int, end: int, glyphs: list[dict]) -> bytes:
    stack = _field_bytes(1, name.encode("utf-8"))
    stack += _field_bytes(2, f"{start}-{end}".encode("ascii"))
    for g in glyphs:
        stack += _field_bytes(3, encode_glyph(g))
    return _field_bytes(1, stack)


# --------------------------------------------------------------------------
# Rendering
# --------------------------------------------------------------------------
class GlyphRenderer:
    """Renders SDF glyphs of one TTF at SIZE px."""

    def __init__(self, path: Path):
        self.path = path
        self.face = freetype.Face(str(path))
        self.hires = freetype.Face(str(path))
        self.face.set_char_size(SIZE * 64)
        self.hires.set_char_size(SIZE * SUPERSAMPLE * 64)
        self.chars = {code for code, _ in self.face.get_chars()}
        self.ascender = self.face.size.ascender / 64.0

    def has(self, code: int) -> bool:
        return code in self.chars and self.face.get_char_index(code) != 0

    def render(self, code: int, ascender: float) -> dict:
        flags = freetype.FT_LOAD_NO_HINTING | freetype.FT_LOAD_NO_BITMAP
        self.face.load_char(code, flags)
        slot = self.face.glyph
        advance = max(0, int(round(slot.metrics.horiAdvance / 64.0)))
        outline = slot.outline
        glyph = {"id": code, "bitmap": b"", "width": 0, "height": 0,
                 "left": 0, "top": 0, "advance": advance}
        if outline.n_points == 0:
            return glyph  # blank glyph (space, nbsp, ...)

        pts = np.asarray(outline.points, dtype=float) / 64.0
        xmin, ymin = pts.min(axis=0)
        xmax, ymax = pts.max(axis=0)
        left, right = int(round(xmin)), int(round(xmax))
        bottom, top = int(round(ymin)), int(round(ymax))
        width, height = right - left, top - bottom
        if width <= 0 or height <= 0:
            return glyph

        bw, bh = width + 2 * BUFFER, height + 2 * BUFFER
        s = SUPERSAMPLE
        pad = 2 * s  # hi-res margin so the outline is never clipped
        canvas = np.zeros((bh * s + 2 * pad, bw * s + 2 * pad), dtype=bool)

        self.hires.load_char(code, flags | freetype.FT_LOAD_RENDER)
        hslot = self.hires.glyph
        bmp = hslot.bitmap
        if bmp.rows and bmp.width:
            img = np.array(bmp.buffer, dtype=np.uint8).reshape(bmp.rows, bmp.pitch)
            img = img[:, : bmp.width] >= 128
            # canvas origin (0, 0) is hi-res x = (left-BUFFER)*s - pad,
            # hi-res y(top edge) = (top+BUFFER)*s + pad  (y axis up)
            col0 = hslot.bitmap_left - ((left - BUFFER) * s - pad)
            row0 = ((top + BUFFER) * s + pad) - hslot.bitmap_top
            r0, c0 = max(row0, 0), max(col0, 0)
            r1 = min(row0 + img.shape[0], canvas.shape[0])
            c1 = min(col0 + img.shape[1], canvas.shape[1])
            if r1 > r0 and c1 > c0:
                canvas[r0:r1, c0:c1] = img[r0 - row0 : r1 - row0, c0 - col0 : c1 - col0]

        if canvas.any():
            outside = distance_transform_edt(~canvas) - 0.5
            inside = distance_transform_edt(canvas) - 0.5
            signed = np.where(canvas, -inside, outside) / s  # px, + outside
        else:
            signed = np.full(canvas.shape, RADIUS, dtype=float)

        signed = signed[pad : pad + bh * s, pad : pad + bw * s]
        dist = signed.reshape(bh, s, bw, s).mean(axis=(1, 3))
        ramp = dist * (256.0 / RADIUS) + CUTOFF * 256.0
        values = 255 - np.clip(ramp, 0, 255).astype(np.int32)

        glyph.update(
            bitmap=values.astype(np.uint8).tobytes(),
            width=width,
            height=height,
            left=left,
            top=int(math.floor(top - ascender)),
        )
        return glyph


def _fallback_allowed(code: int) -> bool:
    if chr(code) in FALLBACK_SYMBOLS:
        return True
    return any(lo <= code <= hi for lo, hi in FALLBACK_BLOCKS)


def build(out_dir: Path) -> int:
    total = 0
    for name, (candidates, fallback_path) in FONTSTACKS.items():
        primary_path = next((p for p in candidates if p.exists()), None)
        if primary_path is None:
            sys.exit(f"no font found for {name!r}: tried {candidates}")
        primary = GlyphRenderer(primary_path)
        fallback = None
        if fallback_path.exists() and fallback_path != primary_path:
            fallback = GlyphRenderer(fallback_path)
        # All glyphs share the primary font's ascender so baselines line up.
        ascender = primary.ascender

        stack_dir = out_dir / name
        if stack_dir.exists():
            shutil.rmtree(stack_dir)
        stack_dir.mkdir(parents=True)
        for start, end in RANGES:
            glyphs = []
            n_fallback = 0
            for code in range(start, end + 1):
                if primary.has(code):
                    glyphs.append(primary.render(code, ascender))
                elif fallback and fallback.has(code) and _fallback_allowed(code):
                    glyphs.append(fallback.render(code, ascender))
                    n_fallback += 1
            data = encode_glyphs_pbf(name, start, end, glyphs)
            path = stack_dir / f"{start}-{end}.pbf"
            path.write_bytes(data)
            total += len(data)
            print(f"{name}/{start}-{end}.pbf: {len(glyphs)} glyphs "
                  f"({primary_path.name}; {n_fallback} from {fallback_path.name}), "
                  f"{len(data)} bytes")
    print(f"total {total} bytes")
    return total


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args(argv)
    build(args.out)


if __name__ == "__main__":
    main()
