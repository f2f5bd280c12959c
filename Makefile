# Every target sets up what it needs: a .venv with the pinned requirements, reinstalled when they change.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
SITE_STAMP := $(VENV)/.site-installed
TEST_STAMP := $(VENV)/.test-installed
BENCH_STAMP := $(VENV)/.bench-installed
HOOKS := PYTHONPATH=hooks
TODAY ?=
export NO_MKDOCS_2_WARNING := 1
export BRIEFING_TODAY := $(if $(TODAY),$(TODAY),$(BRIEFING_TODAY))

.PHONY: serve build check test test-fast lint clean new bench fuzz links browser help
.DEFAULT_GOAL := help

help: ## List the targets
	@grep -E '^[a-z]+:.*## ' $(MAKEFILE_LIST) | sed -E 's/:.*## /\t/' | expand -t 10

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# The requirements-*.txt are locks with hashes, compiled from the requirements-*.in (see each lock's header):
# --require-hashes makes pip refuse any file, dependency included, whose hash is not in the lock.
PIP_INSTALL := $(BIN)/python -m pip install --quiet --disable-pip-version-check --require-hashes

$(SITE_STAMP): requirements-site.txt | $(BIN)/python
	$(PIP_INSTALL) -r requirements-site.txt
	@touch $@

$(TEST_STAMP): requirements-test.txt requirements-site.txt $(SITE_STAMP)
	$(PIP_INSTALL) -r requirements-test.txt
	@touch $@

$(BENCH_STAMP): requirements-bench.txt $(TEST_STAMP)
	$(PIP_INSTALL) -r requirements-bench.txt
	@touch $@

serve: $(SITE_STAMP) ## Live preview on http://127.0.0.1:8000
	$(BIN)/mkdocs serve --dev-addr 127.0.0.1:8000

build: $(SITE_STAMP) ## mkdocs build --strict into site/ (the previous site/ is kept if the build fails)
	$(HOOKS) $(BIN)/python -m briefing.sitebuild --site-dir site

check: $(SITE_STAMP) ## Fast content check, no HTML (make check TODAY=YYYY-MM-DD)
	$(HOOKS) $(BIN)/python -m briefing check $(if $(TODAY),--today $(TODAY))

# The title reaches the command as an environment variable, never as shell or make text: `make new TITLE='a `x`'`
# runs nothing. (`unexport`: make would expand a command-line variable's value to put it in the environment.)
unexport TYPE TITLE DATE
new: export NEW_TYPE := $(value TYPE)
new: export NEW_TITLE := $(value TITLE)
new: export NEW_DATE := $(value DATE)
new: $(SITE_STAMP) ## New page: make new TYPE=event DATE=2021-09-24 TITLE="..."
	$(HOOKS) $(BIN)/python -m briefing new "$$NEW_TYPE" --title "$$NEW_TITLE" --date "$$NEW_DATE"

browser: $(TEST_STAMP)
	@$(BIN)/python tests/browser_setup.py

test: $(TEST_STAMP) browser ## Run the whole test suite (unit, build, browser)
	$(BIN)/python -m pytest

test-fast: $(TEST_STAMP) ## Everything but the browser and full-build tests (about 15 s)
	$(BIN)/python -m pytest -m "not browser and not build"

fuzz: $(TEST_STAMP) ## Property-based tests with many more examples
	BRIEFING_FUZZ_EXAMPLES=3000 $(BIN)/python -m pytest tests/test_fuzz.py -q

bench: $(BENCH_STAMP) ## Wall-time targets of check, build and serve (benchmarks/README.md); BENCH_ARGS=--quick
	$(BIN)/python benchmarks/bench.py $(BENCH_ARGS)

links: $(SITE_STAMP) ## Check every source URL; writes link-report.md
	$(HOOKS) $(BIN)/python -m briefing.links --docs docs --out link-report.md

# Names that frameworks call (MkDocs' on_* events, http.server's and html.parser's handlers, pytest's markers) and
# the rules, which @rule registers: vulture cannot see those calls.
VULTURE_IGNORE := on_*,redirect_request,log_message,do_GET,do_HEAD,handle_starttag,pytestmark,daemon_threads,no_proxy,source

lint: $(TEST_STAMP) ## ruff (with complexity), the package's layers, dead code, the workflows against GitHub's schema
	$(BIN)/ruff check hooks tests benchmarks
	$(BIN)/ruff format --check hooks tests benchmarks
	$(HOOKS) $(BIN)/lint-imports
	$(BIN)/vulture hooks tests --min-confidence 60 --ignore-decorators "@rule" --ignore-names "$(VULTURE_IGNORE)"
	$(BIN)/check-jsonschema --builtin-schema vendor.github-workflows .github/workflows/*.yml
	$(BIN)/check-jsonschema --builtin-schema vendor.dependabot .github/dependabot.yml

clean: ## Remove the build, the venv and caches
	rm -rf site site.partial site.partial-* site.lock $(VENV) .pytest_cache .ruff_cache .hypothesis link-report.md
	find . -name __pycache__ -type d -prune -exec rm -rf {} +
