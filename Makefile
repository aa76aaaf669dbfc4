# Two commands: `make run` and `make test`. Each sets up what it needs, then runs.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# Offscreen rendering when there is no display (CI, a technician's SSH session).
HEADLESS_ENV := SDL_VIDEODRIVER=offscreen KIVY_NO_ARGS=1 KIVY_NO_CONSOLELOG=1
# The tests install CUPS; a private cupsd that cannot start is a failure, not a skip.
TEST_ENV := $(HEADLESS_ENV) KIOSK_REQUIRE_CUPS=1
# Three workers for two cores (most tests wait on subprocesses, sockets and windows, and a third
# worker fills that time), a test file to one worker (its module fixtures start once);
# PYTEST_WORKERS="-n 0" runs everything in one process, PYTEST_ARGS adds to it.
PYTEST_WORKERS ?= -n 3 --dist loadfile
# The languages: gettext catalogues (locale/<locale>/LC_MESSAGES/*.po, kept in git) compiled to .mo
# (not kept). `python -m kiosk.messages.extract` brings the .po files up to date with the sources.
PO_FILES := $(wildcard locale/*/LC_MESSAGES/*.po)
MO_FILES := $(PO_FILES:.po=.mo)

.PHONY: run test setup setup-tests system-packages system-packages-tests demo bench lint clean

run: setup
	@if [ -n "$$DISPLAY$$WAYLAND_DISPLAY" ]; then \
		$(BIN)/kiosk run --windowed; \
	else \
		echo "No display here: running the scripted demo offscreen instead (screens and receipt go to var/demo/)."; \
		$(HEADLESS_ENV) $(BIN)/kiosk demo; \
	fi

test: setup-tests
	$(BIN)/lint-imports
	$(BIN)/ruff check kiosk drivers screens central tests bench
	$(BIN)/mypy
	$(TEST_ENV) $(BIN)/python -m pytest -q -p no:cacheprovider --durations=30 $(PYTEST_WORKERS) $(PYTEST_ARGS)

demo: setup
	$(HEADLESS_ENV) $(BIN)/kiosk demo

bench: setup
	$(HEADLESS_ENV) $(BIN)/python -m bench

lint: setup
	$(BIN)/ruff check kiosk drivers screens central tests bench
	$(BIN)/mypy

setup: system-packages $(STAMP) $(MO_FILES)

setup-tests: system-packages-tests $(STAMP) $(MO_FILES)

system-packages:
	@deploy/install-system-packages.sh

system-packages-tests:
	@deploy/install-system-packages.sh --with-tests

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[dev]'
	@touch $(STAMP)

locale/%.mo: locale/%.po | $(STAMP)
	$(BIN)/pybabel -q compile -i $< -o $@

clean:
	rm -rf $(VENV) var build *.egg-info
