# Two commands on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed

.PHONY: run test test-tansu install unit bench clean

run: $(STAMP)  ## install, then run the whole platform on the embedded default
	$(VENV)/bin/civic run

test: $(STAMP)  ## install, then run every test (on Apache Kafka where a JDK 17+ is present, else Tansu)
	sh tests/browser/ensure_chromium.sh
	@$(PY) -c "from services.local.kafka import broker_choice; print('broker for the tests:', broker_choice())"
	@# Two pytest workers, each with a platform of its own (a test file stays on one worker): most of a
	@# test's time is spent waiting for events to cross the platform, so two overlap well on two cores.
	$(PY) -m pytest tests -q -p no:cacheprovider -n 2 --dist loadfile -m "not moves_clock" \
		--ignore=tests/e2e/test_demo_story.py $(PYTEST_ARGS)
	@# Tests that move forwarding's deadline clock make every dossier due at once: a platform of their own.
	$(PY) -m pytest tests -q -p no:cacheprovider -m moves_clock --ignore=tests/e2e/test_demo_story.py $(PYTEST_ARGS)
	@# The demo story backdates votes and dossiers in the databases: it gets a platform of its own.
	$(PY) -m pytest tests/e2e/test_demo_story.py -q -p no:cacheprovider $(PYTEST_ARGS)

test-tansu: $(STAMP)  ## the integration and end-to-end tiers again, on the Tansu broker (CI runs both)
	CIVIC_LOCAL_BROKER=tansu $(PY) -m pytest tests/integration tests/e2e -q -p no:cacheprovider -n 2 --dist loadfile \
		-m "not moves_clock" --ignore=tests/e2e/test_demo_story.py $(PYTEST_ARGS)

unit: $(STAMP)
	$(PY) -m pytest tests/unit -q

bench: $(STAMP)  ## baseline figures (prints, never asserts)
	$(PY) tests/perf/bench_ballots.py
	$(PY) tests/perf/bench_closing_rush.py
	$(PY) tests/perf/bench_forwarding.py
	$(PY) tests/perf/bench_idle.py
	$(PY) tests/perf/bench_register.py
	$(PY) tests/perf/bench_pages.py

install: $(STAMP)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	touch $(STAMP)

clean:
	rm -rf $(VENV) var
