# tmgportal: `make run` sets everything up and serves the demo; `make test` runs every check.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-$(shell cat requirements.txt requirements-dev.txt | sha256sum | cut -c1-12)

.PHONY: run test venv serve demo clean benchmark loadtest messages mutation backup lock

# The working venv: the runtime and the development tools, every package checked against its hash.
# Production installs requirements.txt alone (README, "Production").
venv: $(STAMP)

$(STAMP): requirements.txt requirements-dev.txt
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check --require-hashes -r requirements-dev.txt
	@rm -f $(VENV)/.installed-* && touch $(STAMP)

# After a change of requirements.in or requirements-dev.in: both locks again, with hashes.
LOCK := $(VENV)/bin/pip-compile --quiet --generate-hashes --allow-unsafe --strip-extras --no-emit-find-links --no-emit-index-url
lock: venv
	$(LOCK) -o requirements.txt requirements.in
	$(LOCK) -o requirements-dev.txt requirements-dev.in

# A local .env for the demo: DEBUG and demo mode on, plain HTTP, a fresh secret key. Kept if present.
.env:
	@printf 'DJANGO_SECRET_KEY=%s\nDJANGO_DEBUG=1\nTMG_DEMO=1\nTMG_SECURE_COOKIES=0\nTMG_SSL_REDIRECT=0\nTMG_HSTS_SECONDS=0\n' \
		"$$($(PYTHON) -c 'import secrets; print(secrets.token_urlsafe(50))')" > .env
	@echo "Wrote .env for a local demo (DEBUG on, fictitious demo data)."

# Prepares the demo data only; `make run` also serves it.
demo: venv .env
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_reference_data
	$(PY) manage.py load_demo_data
	$(PY) manage.py apply_planned_steps
	$(PY) manage.py check --database default
	@echo "Demo data ready. 'make demo' stops here; 'make run' goes on to serve it on http://127.0.0.1:8000/."

# `make run PORT=8080` serves on another port.
PORT ?= 8000

run: demo
	@echo "Serving on http://127.0.0.1:$(PORT)/ (public register: /openbaar/nevenwerkzaamheden/); stop with Ctrl+C."
	$(PY) manage.py runserver 127.0.0.1:$(PORT)

# Production: gunicorn with the settings from the environment (or .env); see README, "Production".
serve: venv
	$(PY) manage.py migrate --noinput
	$(PY) manage.py collectstatic --noinput -v0
	$(PY) manage.py check --deploy --database default --fail-level WARNING
	$(VENV)/bin/gunicorn -c tmgportal/gunicorn.conf.py

# A backup of the database (KB PDFs included) into backups/; see README for restore and checks.
backup: venv
	$(PY) manage.py backup

# Load test (locust, 50 users) against gunicorn on SQLite and PostgreSQL; writes docs/benchmarks.md.
loadtest: venv
	bash scripts/loadtest.sh

test: venv
	bash scripts/test.sh

# Page speed at 80 and 6,000 members on SQLite and PostgreSQL, and the KB timings; docs/benchmarks.md.
benchmark: venv
	bash scripts/benchmark.sh

# Mutation testing of the rules and the scoping (outside `make test`); writes docs/mutation.md.
mutation: venv
	$(PY) scripts/mutation.py

messages: venv
	$(PY) manage.py makemessages -l nl --no-location --ignore=.venv --ignore=staticfiles --ignore=mutants
	$(PY) manage.py compilemessages -l nl --ignore=.venv --ignore=mutants

clean:
	rm -rf staticfiles .pytest_artifacts
