# The two commands of the quick start: `make run` and `make test`. Both set everything up first.
.PHONY: setup run test lint screenshots bench soak clean

VENV := .venv
PY := $(VENV)/bin/python

setup:
	@bash scripts/setup.sh

# On a display: the kiosk full screen. Without one: the scripted tour headless into out/ (scripts/run.sh).
run: setup
	@bash scripts/run.sh

test: setup
	@bash scripts/test.sh

lint: setup
	@$(VENV)/bin/ruff check kiosk tests bench

# Every screen of the tour at 1080x1920 and 1920x1080, in zh and en, under out/screens/.
screenshots: setup
	@for v in zh:1080x1920 zh:1920x1080 en:1080x1920 en:1920x1080; do \
	  lang=$${v%%:*}; size=$${v##*:}; \
	  KIOSK_DATA_DIR=$$(mktemp -d) QT_QPA_PLATFORM=offscreen $(VENV)/bin/kiosk tour --out out/screens/$$lang-$$size --lang $$lang --size $$size || exit 1; \
	done

# Benchmarks (figures for the notes); each starts and stops what it needs.
bench: setup
	@$(PY) bench/card_read.py --n 30
	@$(PY) bench/outbox_throughput.py --apps 60
	@$(PY) -m bench.docdetect

# Many sessions in one kiosk process (bench/soak/results.md); about 40 minutes for 500.
soak: setup
	@$(PY) -m bench.soak --sessions $${SESSIONS:-500}

clean:
	rm -rf out build dist .pytest_cache .ruff_cache
