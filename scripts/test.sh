#!/usr/bin/env bash
# Static checks, then the whole suite on SQLite and on PostgreSQL (required when CI=true).
set -euo pipefail
cd "$(dirname "$0")/.."
export DEBUG=1
pg_url=${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/onewindow}
export DATABASE_URL=  # SQLite first, whatever a development checkout's .env says

echo "== ruff"; .venv/bin/ruff check . && .venv/bin/ruff format --check .
echo "== mypy"; .venv/bin/mypy
echo "== import-linter"; .venv/bin/lint-imports
echo "== migrations"; .venv/bin/python manage.py makemigrations --check --dry-run
echo "== English catalogue"; scripts/check_messages.sh
echo "== deploy checks"
signing_key=$(mktemp) && trap 'rm -f "$signing_key"' EXIT
.venv/bin/python -c "from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey as Key
from cryptography.hazmat.primitives import serialization as s
print(Key.generate().private_bytes(s.Encoding.PEM, s.PrivateFormat.PKCS8, s.NoEncryption()).decode())" > "$signing_key"
AUDIT_SIGNING_KEY_FILE=$signing_key DEBUG=0 SECRET_KEY=ci-deploy-check-$(date +%s)-not-a-real-secret-0123456789abcdef ALLOWED_HOSTS=onewindow.example.gov.cn \
  .venv/bin/python manage.py check --deploy --fail-level WARNING

echo "== production mode: DEBUG=0, collectstatic, gunicorn, every linked page, the API with a token, a browser"
.venv/bin/python scripts/production_check.py

echo "== tests on SQLite"
.venv/bin/pytest -q "$@"

if .venv/bin/python scripts/pg_reachable.py "$pg_url"; then
  echo "== tests on PostgreSQL"
  DATABASE_URL=$pg_url .venv/bin/pytest -q "$@"
elif [ "${CI:-}" = "true" ]; then
  echo "PostgreSQL is required in CI and not reachable at $pg_url" >&2
  exit 1
else
  echo "== PostgreSQL not reachable at $pg_url: skipped (set DATABASE_URL to run)"
fi
