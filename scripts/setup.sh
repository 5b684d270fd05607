#!/usr/bin/env bash
# Set up a development or CI machine: system packages, .venv, front-end assets, messages.
# Idempotent: a second run only checks.
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON=${PYTHON:-python3}
DEBIAN_PACKAGES=(fonts-noto-cjk fonts-hanazono poppler-utils zbar-tools chromium gettext libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0)
# libharfbuzz-subset0: WeasyPrint subsets the CJK fonts with it in under a second (fontTools takes ~20 s a PDF).

missing=()
for package in "${DEBIAN_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if ((${#missing[@]})); then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "setup: installing Debian packages: ${missing[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  else
    echo "setup: please install these Debian packages: sudo apt-get install ${missing[*]}" >&2
  fi
fi

if [ ! -x .venv/bin/python ]; then
  "$PYTHON" -m venv .venv
fi
stamp=.venv/.installed-$(sha256sum requirements.lock pyproject.toml | sha256sum | cut -c1-16)
if [ ! -f "$stamp" ]; then
  .venv/bin/python -m pip install -q --disable-pip-version-check -r requirements.lock
  .venv/bin/python -m pip install -q --disable-pip-version-check --no-deps -e .
  rm -f .venv/.installed-*
  touch "$stamp"
fi

# Bootstrap's files name their source maps, which collectstatic's manifest storage must find: copy them too.
vendor=onewindow/web/static/vendor
VENDORED=(bootstrap/dist/css/bootstrap.min.css{,.map} bootstrap/dist/js/bootstrap.bundle.min.js{,.map} echarts/dist/echarts.min.js)
vendor_stamp="$vendor/.stamp-$( (cat package-lock.json; echo "${VENDORED[*]}") | sha256sum | cut -c1-16)"
if [ ! -f "$vendor_stamp" ]; then
  npm ci --no-audit --no-fund --silent
  rm -rf "$vendor" && mkdir -p "$vendor"
  for file in "${VENDORED[@]}"; do cp "node_modules/$file" "$vendor/"; done
  touch "$vendor_stamp"
fi

if command -v msgfmt >/dev/null; then
  DEBUG=1 .venv/bin/python manage.py compilemessages -v 0 --ignore '.venv/*' --ignore 'node_modules/*'
fi
mkdir -p var
