# The README's commands: `make run` and `make test` set everything up on a fresh machine.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.PHONY: run test bench lint messages dist dist-check clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[dev]'
	touch $(STAMP)

# on Linux, first the X11 libraries Qt needs (it prints the apt-get line when some are missing)
run: $(STAMP)
	$(BIN)/python -m ui.platform_check
	$(BIN)/python main.py

# lint (ruff, types, the direction of imports), then every test, headless
test: lint
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest

bench: $(STAMP)
	@for b in bench/[!_]*.py; do echo "== $$b"; QT_QPA_PLATFORM=offscreen $(BIN)/python $$b || exit 1; done

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/mypy
	$(BIN)/lint-imports --no-cache

# extract the messages from the code into the English catalogue and compile it
messages: $(STAMP)
	$(BIN)/python tools/messages.py

# the app in one folder that starts without Python (PyInstaller): dist/workbench/workbench-gui and workbench
dist: $(STAMP)
	$(BIN)/python -m pip install -q 'pyinstaller>=6'
	$(BIN)/pyinstaller --noconfirm --clean --log-level WARN --distpath dist --workpath build/pyinstaller \
		packaging/workbench.spec

# the built programs tried as a person would, headless, in a home folder of their own
CHECK := build/dist-check
dist-check: dist
	rm -rf $(CHECK) && mkdir -p $(CHECK)/home
	HOME=$(CURDIR)/$(CHECK)/home dist/workbench/workbench --version
	HOME=$(CURDIR)/$(CHECK)/home dist/workbench/workbench init $(CHECK)/coba.sqlite --period "PEKPPP 2026"
	HOME=$(CURDIR)/$(CHECK)/home QT_QPA_PLATFORM=offscreen dist/workbench/workbench-gui $(CHECK)/coba.sqlite \
		--check-start

clean:
	rm -rf $(VENV) build dist *.egg-info
