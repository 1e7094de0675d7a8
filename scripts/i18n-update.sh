#!/usr/bin/env bash
# Refresh the translation source from the code (keeps existing translations), then compile.
# Edit assets/i18n/kiosk_zh_CN.ts with Qt Linguist (pyside6-linguist) or any text editor.
set -euo pipefail
cd "$(dirname "$0")/.."
.venv/bin/pyside6-lupdate kiosk/screens/*.py -ts assets/i18n/kiosk_zh_CN.ts -target-language zh_CN -no-obsolete
.venv/bin/pyside6-lrelease assets/i18n/kiosk_zh_CN.ts -qm assets/i18n/kiosk_zh_CN.qm
