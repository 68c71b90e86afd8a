# The two commands of the README: `make demo` and `make test`. Everything else is for developers.
VENV       := .venv
PY         := $(VENV)/bin/python
DATA       := data
STAMP      := $(VENV)/.installed
BENCH_STAMP := $(VENV)/.bench-installed
PYTEST_ARGS ?=

.PHONY: demo test venv lint typecheck bench bench-scale worker clean-venv drill

$(STAMP): requirements/base.txt requirements/dev.txt pyproject.toml
	@test -x $(PY) || "$$(scripts/find-python)" -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet --require-hashes -r requirements/base.txt -r requirements/dev.txt
	$(PY) -m pip install --quiet --no-deps --no-build-isolation -e .
	@touch $(STAMP)

venv: $(STAMP)

# Browser-side test tools from npm (axe-core). Without npm the accessibility checks skip,
# unless UNKNOT_REQUIRE_BROWSER=1 (as in .ci/run), where they fail instead.
NODE_STAMP := node_modules/.installed
$(NODE_STAMP): package.json package-lock.json
	@if command -v npm >/dev/null 2>&1; then \
		npm ci --ignore-scripts --no-audit --no-fund --silent && touch $(NODE_STAMP); \
	else echo "npm not found: accessibility checks in the browser tests will be skipped"; fi

demo: $(STAMP)
	@mkdir -p $(DATA)
	$(PY) -m unknot.manage migrate --noinput
	$(PY) -m unknot.manage demo_load
	$(PY) -m unknot.manage demo_logins
	$(PY) -m unknot.demo.run 127.0.0.1:8000  # web server and worker; Ctrl+C stops both

test: $(STAMP) $(NODE_STAMP)
	$(PY) -m pytest $(PYTEST_ARGS)

lint: $(STAMP)
	$(VENV)/bin/ruff check src tests bench deploy manage.py
	$(VENV)/bin/ruff format --check src tests bench deploy manage.py
	$(VENV)/bin/lint-imports --no-cache  # the layer order of the apps (.importlinter)

# The pure cores strict (pyproject.toml); then every app with the Django and DRF plugins.
typecheck: $(STAMP)
	$(VENV)/bin/mypy --strict src/unknot/care src/unknot/scheduling
	$(VENV)/bin/mypy --config-file mypy-django.ini src/unknot

# Benchmarks (bench/README.md): the peer django-appointment and a profiler, into the same venv.
$(BENCH_STAMP): $(STAMP) requirements/bench.txt
	$(PY) -m pip install --quiet --require-hashes -r requirements/bench.txt
	@touch $(BENCH_STAMP)

bench: $(BENCH_STAMP)
	@command -v wrk >/dev/null 2>&1 || ! command -v apt-get >/dev/null 2>&1 || \
		{ apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; }
	$(PY) -m bench.run

# `make demo` runs the worker itself; this is for a development server of your own.
worker: $(STAMP)
	$(PY) -m unknot.manage db_worker

clean-venv:
	rm -rf $(VENV)

# Every page and call on the demo practice and on it grown into a chain (bench/README.md).
bench-scale: $(STAMP)
	$(PY) -m bench.scale

# The production topology on this machine under load, one app server and one worker killed
# mid-way (docs/deploy.md): HAProxy, two gunicorns, two workers, a streaming replica. Needs
# PostgreSQL in DATABASE_URL and root (the replica runs as the postgres user).
drill: $(STAMP)
	@command -v haproxy >/dev/null 2>&1 || ! command -v apt-get >/dev/null 2>&1 || \
		{ apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq haproxy >/dev/null; }
	$(PY) -m deploy.drill
