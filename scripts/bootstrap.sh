#!/usr/bin/env bash
# Install what the project needs on Debian 12 and prepare .venv.
# Safe to run again: it only does what is missing.
# Extra Debian packages may be passed as arguments (make test adds PostGIS and Chromium).
set -euo pipefail
cd "$(dirname "$0")/.."

APT_PACKAGES=(gdal-bin libsqlite3-mod-spatialite libsqlite3-dev gettext gcc libc6-dev python3-venv curl jq)

as_root() {
    if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

missing=()
for package in "${APT_PACKAGES[@]}" "$@"; do
    if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
        missing+=("$package")
    fi
done
if [ ${#missing[@]} -gt 0 ]; then
    echo "==> Installing Debian packages: ${missing[*]}"
    as_root apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

python_ok() {
    "$1" -c 'import sys, venv; sys.exit(sys.version_info < (3, 12))' 2>/dev/null
}

find_python() {
    local candidate
    for candidate in ${PYTHON:-} python3.12 python3.13 \
        "$HOME"/.pyenv/versions/3.12*/bin/python "$HOME"/.pyenv/versions/3.13*/bin/python \
        /usr/local/bin/python3.12 /usr/local/bin/python3.13 python3; do
        if command -v "$candidate" >/dev/null 2>&1 && python_ok "$candidate"; then
            command -v "$candidate"
            return 0
        fi
    done
    # Debian 12 ships Python 3.11; Django 6 needs 3.12 or newer: fetch one with uv.
    echo "==> No Python >= 3.12 found, installing one with uv" >&2
    python3 -m venv var/uv-venv >&2
    var/uv-venv/bin/pip install -q uv >&2
    var/uv-venv/bin/uv python install 3.12 >&2
    var/uv-venv/bin/uv python find 3.12
}

mkdir -p var
if [ ! -x .venv/bin/python ] || ! python_ok .venv/bin/python; then
    rm -rf .venv
    interpreter=$(find_python)
    echo "==> Creating .venv with $interpreter"
    "$interpreter" -m venv .venv
fi

stamp=.venv/.requirements.sha256
wanted=$(sha256sum requirements.lock pyproject.toml | sha256sum | cut -d' ' -f1)
if [ "$(cat "$stamp" 2>/dev/null)" != "$wanted" ]; then
    echo "==> Installing Python packages"
    .venv/bin/python -m pip install -q --upgrade pip
    .venv/bin/python -m pip install -q -r requirements.lock
    echo "$wanted" > "$stamp"
fi

# Translations: compiled from the .po files kept in the repository.
if [ -n "$(find . -path ./.venv -prune -o -name '*.po' -newer "$stamp" -print -quit 2>/dev/null)" ] \
    || [ -z "$(find . -path ./.venv -prune -o -name '*.mo' -print -quit)" ]; then
    DEBUG=true .venv/bin/python manage.py compilemessages --ignore=.venv -v 0
    touch "$stamp"
fi

# The back-office maps' library (OpenLayers), installed from npm at the versions of
# backend/static_src/package-lock.json and copied into the static files, so that the
# admin's maps load nothing from a CDN.
if ! command -v npm >/dev/null 2>&1; then
    echo "==> Installing Debian packages: nodejs npm"
    as_root apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends nodejs npm
fi
assets=backend/static_src
vendor=backend/static/vendor/ol
assets_stamp="$vendor/.package-lock.sha256"
assets_wanted=$(sha256sum "$assets/package-lock.json" | cut -d' ' -f1)
if [ "$(cat "$assets_stamp" 2>/dev/null)" != "$assets_wanted" ] || [ ! -f "$vendor/ol.js" ]; then
    echo "==> Installing the back-office's browser libraries"
    (cd "$assets" && npm ci --ignore-scripts --silent)
    mkdir -p "$vendor"
    # The source map (5 MB) is not shipped: drop the line that would ask for it.
    sed '/^\/\/# sourceMappingURL=/d' "$assets/node_modules/ol/dist/ol.js" > "$vendor/ol.js"
    cp "$assets/node_modules/ol/ol.css" "$assets/node_modules/ol/LICENSE.md" "$vendor/"
    echo "$assets_wanted" > "$assets_stamp"
fi

# The front-end folder's packages at the versions of web/package-lock.json: the apps' map
# library (Leaflet) and the resident app's photo reader (exifr, for a photo's GPS), copied
# into web/app/vendor/ and served as static files so the apps load nothing from a CDN, and
# the test tools (openapi-typescript, TypeScript, playwright-core, axe-core).
web_stamp=web/node_modules/.package-lock.sha256
web_wanted=$(sha256sum web/package-lock.json | cut -d' ' -f1)
if [ "$(cat "$web_stamp" 2>/dev/null)" != "$web_wanted" ] || [ ! -f web/app/vendor/leaflet/leaflet.js ] \
    || [ ! -f web/app/vendor/exifr/lite.esm.mjs ]; then
    echo "==> Installing the front-end packages"
    (cd web && npm ci --ignore-scripts --silent --no-audit --no-fund)
    rm -rf web/app/vendor/leaflet
    mkdir -p web/app/vendor/leaflet
    # The source map is not shipped: drop the line that would ask for it.
    sed '/^\/\/# sourceMappingURL=/d' web/node_modules/leaflet/dist/leaflet.js > web/app/vendor/leaflet/leaflet.js
    cp -r web/node_modules/leaflet/dist/leaflet.css web/node_modules/leaflet/dist/images \
        web/node_modules/leaflet/LICENSE web/app/vendor/leaflet/
    rm -rf web/app/vendor/exifr
    mkdir -p web/app/vendor/exifr
    sed '/^\/\/# sourceMappingURL=/d' web/node_modules/exifr/dist/lite.esm.mjs > web/app/vendor/exifr/lite.esm.mjs
    cp web/node_modules/exifr/LICENSE web/app/vendor/exifr/
    echo "$web_wanted" > "$web_stamp"
fi
# The staff app's modules bundled into web/app/bundle.js (esbuild, well under a second), so
# that a phone fetches one script rather than one import level after another.
(cd web && npm run --silent build)
