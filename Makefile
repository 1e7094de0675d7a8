# The two commands of the quick start: `make run` and `make test`. Both set everything up first.
.PHONY: setup run test lint screenshots bench soak clean package-setup package package-test audit lock

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

# The Debian package (dist/haikou-kiosk_VERSION_ARCH.deb): the PyInstaller bundle built in
# .venv-package (the runtime lock only, no development extras), then dpkg-deb. docs/deploy.md.
package-setup:
	@bash scripts/package-setup.sh

package: package-setup
	@rm -rf dist/kiosk
	@.venv-package/bin/pyinstaller --noconfirm --log-level WARN --distpath dist --workpath build/pyinstaller kiosk.spec
	@bash packaging/build-deb.sh dist/kiosk dist
	@du -sh dist/kiosk dist/haikou-kiosk_*.deb

# Builds the package, then tests it: lintian, systemd-analyze verify, install/upgrade/purge,
# the bundle's tours, the kiosk under cage (READY=1, a compositor screenshot), the watchdog.
# It installs and purges the package on this machine: run it on a build or CI machine.
package-test: package setup
	@QT_QPA_PLATFORM=offscreen KIOSK_PACKAGE_DEB=$$(ls dist/haikou-kiosk_*.deb) $(PY) -m pytest -q -p no:cacheprovider tests/package

# The runtime lock (requirements/runtime.txt, hashes) from pyproject.toml, and the build tools'.
lock: setup
	@$(VENV)/bin/pip-compile --quiet --generate-hashes --strip-extras --allow-unsafe --no-emit-index-url --no-emit-find-links --output-file requirements/runtime.txt pyproject.toml
	@cd requirements && ../$(VENV)/bin/pip-compile --quiet --generate-hashes --strip-extras --allow-unsafe --no-emit-index-url --no-emit-find-links --output-file build.txt build.in

# Known vulnerabilities in the locked runtime and build dependencies (PyPI's advisory data).
# --strict: a package that could not be looked up fails the audit (without it pip-audit says
# "No known vulnerabilities found" when the advisory service cannot be reached at all).
audit: setup
	@$(VENV)/bin/pip-audit --strict --progress-spinner off --require-hashes --disable-pip -r requirements/runtime.txt -r requirements/build.txt

clean:
	rm -rf out build dist .pytest_cache .ruff_cache
