#!/usr/bin/env bash
# Idempotent setup for `make package` and `make package-test` only (`make run` and `make test`
# do not need any of it): the Debian tools that build and check the package, the compositor
# the package runs under, and .venv-package, a runtime-only environment installed from the
# hashed lock (requirements/runtime.txt) plus the locked build tools (requirements/build.txt).
# No development extras (pytest, schemathesis, ...) are in it, so none can enter the bundle.
set -euo pipefail
cd "$(dirname "$0")/.."

PY=${PYTHON:-python3}
VENV=.venv-package

# dpkg-deb builds the .deb; lintian checks it; systemd for systemd-analyze verify; binutils:
# PyInstaller's objdump. The package's own dependencies (packaging/debian/control), so that
# make package-test can install it: cage needs xwayland to start; Qt's wayland plugin needs
# libwayland-cursor0. grim screenshots the compositor; Xvfb hosts cage's x11 backend.
DEB_PKGS=(dpkg-dev lintian systemd binutils grim xvfb xauth
  adduser cage xwayland libpam-systemd libpam-modules pcscd fonts-noto-cjk libegl1 libgl1 libfontconfig1
  libxkbcommon0 libwayland-client0 libwayland-cursor0 libwayland-egl1 libdbus-1-3 libglib2.0-0)
# shellcheck source=scripts/lib.sh
source scripts/lib.sh  # the working directory is the repository (cd above)
ensure_debian_packages package-setup "${DEB_PKGS[@]}"

if [ ! -x "$VENV/bin/python" ]; then
  echo "package-setup: creating $VENV"
  "$PY" -m venv "$VENV"
fi
stamp="$VENV/.setup-stamp"
want=$(cat requirements/runtime.txt requirements/build.txt scripts/package-setup.sh | sha256sum | cut -d' ' -f1)
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
  echo "package-setup: installing the locked runtime and build tools into $VENV"
  # The lock is the whole environment: hashes required, nothing resolved beyond it.
  "$VENV/bin/python" -m pip install -q --require-hashes --no-deps -r requirements/runtime.txt -r requirements/build.txt
  echo "$want" > "$stamp"
fi
