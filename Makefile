.DEFAULT_GOAL := help
export DEBUG ?= 1
PY := .venv/bin/python

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-10s %s\n", $$1, $$2}'

setup: ## create .venv, install pinned dependencies, system packages and assets
	@scripts/setup.sh

run: setup .env ## migrate SQLite under var/, load the demo city, serve http://127.0.0.1:8000 with a task worker and the scheduler
	$(PY) manage.py migrate --no-input -v 0
	$(PY) manage.py demo
	@$(PY) manage.py db_worker --interval 1 > var/worker.log 2>&1 & worker=$$!; \
	$(PY) manage.py scheduler > var/scheduler.log 2>&1 & scheduler=$$!; \
	trap 'kill $$worker $$scheduler' EXIT; $(PY) manage.py runserver 127.0.0.1:8000

test: setup ## lint, type-check and run the suite on SQLite, then PostgreSQL
	@scripts/test.sh

bench: setup ## run the benchmarks and write docs/benchmarks.md
	$(PY) -m bench

messages: setup ## refresh the English message catalogue (`make test` fails while an entry lacks its English)
	$(PY) manage.py makemessages -l en --ignore '.venv/*' --ignore 'node_modules/*' --ignore 'bench/*'

.env: # a development checkout's settings, so that `.venv/bin/onewindow …` runs without exporting DEBUG
	@printf '# Written by `make run` for this development checkout; never copy it to production.\nDEBUG=1\n' > $@

.PHONY: help setup run test bench messages
