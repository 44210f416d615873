#!/usr/bin/env bash
# Fetch Bootstrap's compiled CSS from the npm registry and install it as a
# Dash asset, so the app never loads CSS from a third-party CDN.
#
#   tools/fetch_bootstrap.sh            # uses the pinned version below
#   BOOTSTRAP_VERSION=5.3.9 tools/fetch_bootstrap.sh
#
# Writes:
#   assets/00-bootstrap.min.css            (sourceMappingURL comment stripped)
#   assets/LICENSES/bootstrap-LICENSE.txt
set -euo pipefail

BOOTSTRAP_VERSION="${BOOTSTRAP_VERSION:-5.3.9}"

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
assets="$repo_root/assets"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

cd "$tmp"
tarball="$(npm pack --silent "bootstrap@${BOOTSTRAP_VERSION}" 2>/dev/null | tail -n 1)"
tar -xzf "$tarball"

css="package/dist/css/bootstrap.min.css"
[ -f "$css" ] || { echo "missing $css in $tarball" >&2; exit 1; }

mkdir -p "$assets/LICENSES"
# Drop the trailing "/*# sourceMappingURL=bootstrap.min.css.map */" so the
# browser never requests a .map file the app does not serve.
sed -E 's#/\*\# sourceMappingURL=[^*]*\*/##g' "$css" > "$assets/00-bootstrap.min.css"
cp package/LICENSE "$assets/LICENSES/bootstrap-LICENSE.txt"

# Sanity checks: no source map reference, no external url()/@import.
if grep -q 'sourceMappingURL' "$assets/00-bootstrap.min.css"; then
    echo "sourceMappingURL still present" >&2; exit 1
fi
if grep -Eiq 'url\(["'"'"']?(https?:)?//|@import' "$assets/00-bootstrap.min.css"; then
    echo "external url()/@import found in bootstrap CSS" >&2; exit 1
fi

echo "bootstrap ${BOOTSTRAP_VERSION}: $(wc -c < "$assets/00-bootstrap.min.css") bytes -> assets/00-bootstrap.min.css"
