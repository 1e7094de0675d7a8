#!/usr/bin/env bash
# Runs the whole suite: lint, then pytest. Services the tests need are started by the tests.
set -euo pipefail
cd "$(dirname "$0")/.."
export QT_QPA_PLATFORM=offscreen
export KIOSK_DATA_DIR="$(mktemp -d)"
trap 'rm -rf "$KIOSK_DATA_DIR"' EXIT
.venv/bin/ruff check kiosk tests bench
.venv/bin/python -m pytest -q "$@"
