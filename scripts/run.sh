#!/usr/bin/env bash
# `make run`: the kiosk full screen on its display; without a display, the scripted tour headless,
# writing its screenshots, receipt.txt and summary.json to out/ (README, "Quick start").
# `kiosk run` itself never runs the tour: without a display it stops with a message.
set -euo pipefail
cd "$(dirname "$0")/.."
export KIOSK_DATA_DIR="${KIOSK_DATA_DIR:-$PWD/.kiosk-data}"
PY="${PY:-.venv/bin/python}"
OUT="${OUT:-out}"
CONFIG="${CONFIG:-config/kiosk.example.toml}"  # the demo: [kiosk] mode = "demo", pointer shown
case "${QT_QPA_PLATFORM:-}" in
  offscreen|minimal) display="" ;;
  *) display="${WAYLAND_DISPLAY:-}${DISPLAY:-}" ;;
esac
if [ -n "$display" ]; then
  exec "$PY" -m kiosk --config "$CONFIG" run
fi
echo "make run: no display, so the scripted tour runs headless (kiosk tour --out $OUT)" >&2
exec "$PY" -m kiosk --config "$CONFIG" tour --out "$OUT"
