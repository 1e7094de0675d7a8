"""Language switching with Qt Linguist translations.

Source strings in the code are English (``self.tr("...")``); ``assets/i18n/kiosk_zh_CN.ts``
holds the Simplified Chinese, compiled to ``.qm`` by the setup (``pyside6-lrelease``).
Chinese is the default. Switching installs or removes the translator; Qt then sends every
widget a ``LanguageChange`` event; the window re-sets its own texts and the current screen's (other screens set theirs when they are shown).
"""

from __future__ import annotations

import logging
import subprocess
import sys
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLocale, QTranslator

from kiosk.screens.theme import ASSETS

log = logging.getLogger(__name__)
TS = ASSETS / "i18n" / "kiosk_zh_CN.ts"
QM = ASSETS / "i18n" / "kiosk_zh_CN.qm"


def ensure_compiled() -> Path:
    """Compile the .ts when the .qm is missing or stale (setup normally did it)."""
    if TS.exists() and (not QM.exists() or QM.stat().st_mtime < TS.stat().st_mtime):
        lrelease = Path(sys.executable).with_name("pyside6-lrelease")
        try:
            subprocess.run([str(lrelease), "-silent", str(TS), "-qm", str(QM)], check=True, timeout=60)
        except (OSError, subprocess.SubprocessError) as e:
            log.error("could not compile translations: %s", e)
    return QM


_ZH: QTranslator | None = None  # one per application: a second window must not stack another


def _translator() -> QTranslator:
    global _ZH
    if _ZH is None:
        _ZH = QTranslator()
        qm = ensure_compiled()
        if not _ZH.load(str(qm)):
            log.error("Chinese translations not found at %s", qm)
    return _ZH


class Languages:
    def __init__(self) -> None:
        self.current = ""

    def set(self, lang: str) -> None:
        if lang == self.current:
            return
        app = QCoreApplication.instance()
        zh = _translator()
        app.removeTranslator(zh)
        if lang == "zh":
            app.installTranslator(zh)
            QLocale.setDefault(QLocale(QLocale.Language.Chinese, QLocale.Country.China))
        else:
            QLocale.setDefault(QLocale(QLocale.Language.English, QLocale.Country.UnitedKingdom))
        self.current = lang
