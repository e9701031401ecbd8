# Two commands: `make run` (app on the embedded default) and `make test` (the whole suite).
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: run test setup lint audit bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[test,dev]"
	touch $(STAMP)

setup: $(STAMP)

run: setup
	DEBUG=true $(PY) manage.py migrate --noinput
	DEBUG=true $(PY) manage.py seed_demo
	DEBUG=true $(PY) manage.py runserver 127.0.0.1:8000

test: setup
	bash scripts/ensure-chromium
	$(PY) -m ruff check .
	$(PY) manage.py makemigrations --check --dry-run
	$(PY) manage.py check
	$(PY) -m pytest $(PYTEST_ARGS)

lint: setup
	$(PY) -m ruff check . && $(PY) -m ruff format --check .

# Security scans (issue 7): bandit finds nothing of medium or high severity in our code;
# pip-audit needs its advisory data (PyPI's JSON API or OSV) and says so when unreachable.
audit: setup
	$(PY) -m bandit -r config initiatives chartering learning mobilizing realigning \
		-x "*/migrations/*" -ll -q
	$(PY) -m pip_audit --progress-spinner off || echo "pip-audit: see above (advisory data reachable?)"

bench: setup
	$(PY) bench/relapse_eval.py

clean:
	rm -rf $(VENV) db.sqlite3 test-artifacts
