#!/usr/bin/env bash
# Idempotent setup: Debian packages (when missing), .venv, the project in editable mode,
# compiled translations. Fast when nothing changed.
set -euo pipefail
cd "$(dirname "$0")/.."

PY=${PYTHON:-python3}
VENV=.venv

# --- Debian packages -------------------------------------------------------
# Build: pyscard compiles against pcsc-lite with SWIG.
# Run: pcscd + vpcd (virtual smart-card reader for tests), Qt's runtime libraries,
# CJK fonts, Xvfb for real-window screenshots, libpulse0 for Qt Virtual Keyboard,
# espeak-ng for speech (Mandarin and English, offline).
DEB_PKGS=(
  gcc swig libpcsclite-dev pcscd vsmartcard-vpcd
  libgl1 libegl1 libglib2.0-0 libfontconfig1 libdbus-1-3 libxkbcommon0
  libxkbcommon-x11-0 libxcb-icccm4 libxcb-keysyms1 libxcb-cursor0 libxcb-image0
  libxcb-render-util0 libxcb-shape0 libxcb-xinerama0 libxcb-randr0 libx11-xcb1
  libpulse0 xvfb xauth fonts-noto-cjk fonts-wqy-zenhei espeak-ng
)
# Python headers, only when this interpreter has none (Debian's python3.11 needs -dev).
if ! "$PY" -c 'import sysconfig,os,sys; sys.exit(0 if os.path.exists(os.path.join(sysconfig.get_paths()["include"],"Python.h")) else 1)'; then
  DEB_PKGS+=(python3-dev)
fi

# shellcheck source=scripts/lib.sh
source scripts/lib.sh  # the working directory is the repository (cd above)
ensure_debian_packages setup "${DEB_PKGS[@]}"

# --- virtual environment ---------------------------------------------------
if [ ! -x "$VENV/bin/python" ]; then
  echo "setup: creating $VENV"
  "$PY" -m venv "$VENV"
fi
stamp="$VENV/.setup-stamp"
want=$(cat pyproject.toml scripts/setup.sh | sha256sum | cut -d' ' -f1)
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
  echo "setup: installing Python packages into $VENV"
  "$VENV/bin/python" -m pip install -q --upgrade pip
  "$VENV/bin/python" -m pip install -q -e '.[dev]'
  echo "$want" > "$stamp"
fi

# --- translations (Qt Linguist .ts -> .qm) ---------------------------------
for ts in assets/i18n/*.ts; do
  [ -e "$ts" ] || continue
  qm="${ts%.ts}.qm"
  if [ ! -f "$qm" ] || [ "$ts" -nt "$qm" ]; then
    "$VENV/bin/pyside6-lrelease" -silent "$ts" -qm "$qm"
  fi
done
