"""Pure core of the observatory: data, statistics, indicators, figure data (never imports dash)."""
