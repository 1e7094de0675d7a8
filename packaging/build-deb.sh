#!/usr/bin/env bash
# Builds the Debian package from the PyInstaller bundle (dist/kiosk) with dpkg-deb:
#   /usr/lib/haikou-kiosk/               the bundle (kiosk executable + _internal/); not /opt,
#                                        which Debian packages must leave to the administrator
#   /usr/bin/haikou-kiosk                -> /usr/lib/haikou-kiosk/kiosk (technician commands)
#   /etc/haikou-kiosk/kiosk.toml         the configuration, a conffile (kept on upgrade)
#   /lib/systemd/system/haikou-kiosk.service, /etc/pam.d/haikou-kiosk, /lib/udev/rules.d/
#   /usr/share/doc/haikou-kiosk/         deploy.md, kiosk.example.toml, copyright, changelog
# Usage: packaging/build-deb.sh [BUNDLE_DIR] [OUT_DIR]   (defaults: dist/kiosk, dist/)
# Compression: xz -1 by default (about 1m45 on two cores, 138 MiB); DEB_LEVEL=6 gives 119 MiB
# in about 6 minutes (a release build). Bookworm's lintian refuses zstd members.
set -euo pipefail
cd "$(dirname "$0")/.."

BUNDLE=${1:-dist/kiosk}
OUT=${2:-dist}
NAME=haikou-kiosk
VERSION=$(sed -n 's/^version = "\(.*\)"/\1/p' pyproject.toml | head -1)
ARCH=$(dpkg --print-architecture)
[ -x "$BUNDLE/kiosk" ] || { echo "build-deb: no bundle at $BUNDLE (run make package)" >&2; exit 1; }

STAGE=build/deb/${NAME}_${VERSION}_${ARCH}
rm -rf "$STAGE"
mkdir -p "$STAGE/DEBIAN" "$STAGE/usr/lib" "$STAGE/usr/bin" "$STAGE/etc/$NAME" "$STAGE/etc/pam.d" \
  "$STAGE/lib/systemd/system" "$STAGE/lib/udev/rules.d" "$STAGE/usr/share/doc/$NAME" \
  "$STAGE/usr/share/lintian/overrides"

APP=$STAGE/usr/lib/$NAME
cp -a "$BUNDLE" "$APP"
# Files 0644 and directories 0755, owned by root; only the bootloader is executable
# (PyInstaller keeps the wheels' modes, shared libraries included). Nothing is stripped: the
# wheels' libraries were rewritten by auditwheel (patchelf), which strip can corrupt.
find "$APP" -type d -exec chmod 0755 {} +
find "$APP" -type f -exec chmod 0644 {} +
chmod 0755 "$APP/kiosk"
ln -s "../lib/$NAME/kiosk" "$STAGE/usr/bin/$NAME"

# The configuration: the production template, with the installed data directory. As shipped
# it is refused (demo PIN, no token) until the technician sets it up: docs/deploy.md.
sed -e 's|^data_dir = [^#]*|data_dir = "/var/lib/haikou-kiosk"        |' \
    config/kiosk.production.toml > "$STAGE/etc/$NAME/kiosk.toml"
grep -q '^data_dir = "/var/lib/haikou-kiosk"' "$STAGE/etc/$NAME/kiosk.toml"
install -m 0644 packaging/files/pam-haikou-kiosk "$STAGE/etc/pam.d/$NAME"
install -m 0644 packaging/files/haikou-kiosk.service "$STAGE/lib/systemd/system/"
install -m 0644 packaging/files/60-haikou-kiosk.rules "$STAGE/lib/udev/rules.d/"

DOC=$STAGE/usr/share/doc/$NAME
install -m 0644 docs/deploy.md config/kiosk.example.toml config/kiosk.production.toml "$DOC/"
install -m 0644 packaging/debian/copyright "$DOC/copyright"
gzip -9n -c packaging/debian/changelog > "$DOC/changelog.gz"
install -m 0644 packaging/debian/lintian-overrides "$STAGE/usr/share/lintian/overrides/$NAME"

for f in postinst prerm postrm; do install -m 0755 "packaging/debian/$f" "$STAGE/DEBIAN/$f"; done
printf '/etc/%s/kiosk.toml\n/etc/pam.d/%s\n' "$NAME" "$NAME" > "$STAGE/DEBIAN/conffiles"
SIZE=$(du -sk --exclude=DEBIAN "$STAGE" | cut -f1)
sed -e "s/@VERSION@/$VERSION/" -e "s/@ARCH@/$ARCH/" -e "s/@SIZE@/$SIZE/" packaging/debian/control > "$STAGE/DEBIAN/control"
(cd "$STAGE" && find . -path ./DEBIAN -prune -o -type f -printf '%P\0' | sort -z | xargs -0 md5sum) > "$STAGE/DEBIAN/md5sums"

mkdir -p "$OUT"
DEB=$OUT/${NAME}_${VERSION}_${ARCH}.deb
dpkg-deb --root-owner-group -Zxz "-z${DEB_LEVEL:-1}" --threads-max=2 --build "$STAGE" "$DEB" >/dev/null
echo "$DEB"
