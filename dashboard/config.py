"""Settings read once from the environment (every variable is documented in README.md)."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEMO_DATA_DIR = PROJECT_ROOT / "data"
DEFAULT_DATABASE_URL = f"sqlite:///{PROJECT_ROOT / 'instance' / 'observatoire.db'}"


def _flag(value: str | None, default: bool) -> bool:
    if value is None or value.strip() == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "oui", "on"}


@dataclass(frozen=True)
class Settings:
    """What the app reads from its environment.

    Attributes
    ----------
    data_dir : folder holding the tables (CSV) of the dataset.
    iris_geojson : optional real IRIS boundaries (GeoJSON, any CRS); replaces the schematic demo geometry.
    iris_quartier_csv : IRIS → quartier mapping that goes with ``iris_geojson``.
    host, port : where ``make run`` serves the app.
    public_url : the address the public reaches the app at (used in permalinks and exports).
    tiles_url : an XYZ raster tile template drawn under the map; empty = no tiles (no third-party request).
    tiles_attribution : attribution shown with the tiles.
    database_url : the versioned store (SQLite file by default; ``postgresql://…`` for several app servers).
    refresh_seconds : how often each process checks which version is published.
    secret_key : signs the admin's session cookie; the admin pages are refused while it is empty.
    """

    data_dir: Path = DEMO_DATA_DIR
    iris_geojson: Path | None = None
    iris_quartier_csv: Path | None = None
    host: str = "127.0.0.1"
    port: int = 8050
    public_url: str = ""
    tiles_url: str = ""
    tiles_attribution: str = ""
    database_url: str = DEFAULT_DATABASE_URL
    refresh_seconds: float = 3.0
    secret_key: str = field(default="", repr=False)

    @property
    def glyphs_url(self) -> str:
        """Where MapLibre fetches the map's label glyphs: the app's own assets, never a third party."""
        return f"{self.public_url}/assets/glyphs/{{fontstack}}/{{range}}.pbf"

    @classmethod
    def from_env(cls, environ=None) -> "Settings":
        env = os.environ if environ is None else environ
        iris = env.get("OBSERVATOIRE_IRIS_GEOJSON") or None
        mapping = env.get("OBSERVATOIRE_IRIS_QUARTIER_CSV") or None
        if (iris is None) != (mapping is None):
            raise ValueError(
                "OBSERVATOIRE_IRIS_GEOJSON and OBSERVATOIRE_IRIS_QUARTIER_CSV go together: "
                f"got {iris!r} and {mapping!r}"
            )
        port = env.get("PORT") or env.get("OBSERVATOIRE_PORT") or "8050"
        if not port.isdigit():
            raise ValueError(f"PORT must be a number, got {port!r}")
        return cls(
            data_dir=Path(env.get("OBSERVATOIRE_DATA_DIR") or DEMO_DATA_DIR),
            iris_geojson=Path(iris) if iris else None,
            iris_quartier_csv=Path(mapping) if mapping else None,
            host=env.get("OBSERVATOIRE_HOST") or env.get("HOST") or "127.0.0.1",
            port=int(port),
            public_url=(env.get("OBSERVATOIRE_PUBLIC_URL") or "").rstrip("/"),
            tiles_url=env.get("OBSERVATOIRE_TILES_URL") or "",
            tiles_attribution=env.get("OBSERVATOIRE_TILES_ATTRIBUTION") or "",
            database_url=env.get("DATABASE_URL") or DEFAULT_DATABASE_URL,
            refresh_seconds=float(env.get("OBSERVATOIRE_REFRESH_SECONDS") or 3.0),
            secret_key=env.get("OBSERVATOIRE_SECRET_KEY") or "",
        )
