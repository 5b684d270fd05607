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

pg_reachable=true
if ! .venv/bin/python scripts/pg_reachable.py "$pg_url"; then
  pg_reachable=false
  if [ "${CI:-}" = "true" ]; then
    echo "PostgreSQL is required in CI and not reachable at $pg_url" >&2
    exit 1
  fi
  echo "== PostgreSQL not reachable at $pg_url: skipped (set DATABASE_URL to run)"
fi

# The production check and the two suites are independent (their own databases and ports),
# so they run side by side; each one's output is printed whole when it ends.
logs=$(mktemp -d) && trap 'rm -rf "$logs" "$signing_key"' EXIT
pids=() names=()
alongside() {  # alongside NAME COMMAND...: run in the background, output to a log of its own
  names+=("$1"); shift
  "$@" > "$logs/${#names[@]}" 2>&1 &
  pids+=($!)
}
alongside "production mode: DEBUG=0, collectstatic, gunicorn, every linked page, the API with a token, a browser" \
  .venv/bin/python scripts/production_check.py
alongside "tests on SQLite" .venv/bin/pytest -q "$@"
if $pg_reachable; then
  alongside "tests on PostgreSQL" env DATABASE_URL="$pg_url" .venv/bin/pytest -q "$@"
fi

failed=0
for i in "${!pids[@]}"; do
  status=0; wait "${pids[$i]}" || status=$?
  echo "== ${names[$i]}"; cat "$logs/$((i + 1))"
  [ "$status" -eq 0 ] || { echo "== FAILED (exit $status): ${names[$i]}"; failed=1; }
done
exit $failed
