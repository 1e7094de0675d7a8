"""Translations: every UI string in the code has a Chinese translation, with the same placeholders."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

from tests.support.paths import ROOT

TS = ROOT / "assets" / "i18n" / "kiosk_zh_CN.ts"


def messages(path: Path) -> dict[tuple[str, str], ET.Element]:
    out = {}
    for ctx in ET.parse(path).iter("context"):
        name = ctx.find("name").text or ""
        for m in ctx.iter("message"):
            out[(name, m.find("source").text or "")] = m.find("translation")
    return out


def test_every_string_in_the_code_is_translated(tmp_path):
    fresh = tmp_path / "fresh.ts"
    shutil.copy(TS, fresh)
    lupdate = Path(sys.executable).with_name("pyside6-lupdate")
    sources = sorted(str(p) for p in (ROOT / "kiosk" / "screens").glob("*.py"))
    subprocess.run([str(lupdate), *sources, "-ts", str(fresh), "-no-obsolete"], check=True, capture_output=True, timeout=120)
    untranslated = [
        key for key, tr in messages(fresh).items() if tr.get("type") == "unfinished" or not (tr.text or "").strip()
    ]
    assert not untranslated, f"run scripts/i18n-update.sh and translate: {untranslated[:10]}"


def test_placeholders_match():
    for (ctx, src), tr in messages(TS).items():
        assert sorted(re.findall(r"\{\w+\}", src)) == sorted(re.findall(r"\{\w+\}", tr.text or "")), (ctx, src)


def test_switching_language_changes_the_screen_and_keeps_the_session(kiosk):
    k, d = kiosk
    d.tap(d.find("tile_renewal"))
    heading = k.window.current_screen().heading
    assert heading.text() == "读取身份证前请您知悉"
    d.tap(d.find("langButton"))
    assert heading.text() == "Before we read your ID card"
    assert k.window.primary_button.text() == "I agree, continue"
    d.tap(d.find("langButton"))
    assert heading.text() == "读取身份证前请您知悉"
    assert k.journey.wizard.current.value == "consent"


def test_a_tiles_spoken_name_ends_its_sentences_in_the_language_shown(kiosk):
    k, d = kiosk
    tile = d.find("tile_renewal")
    title, detail = tile.title.text(), tile.detail.text()
    assert detail and tile.accessibleName() == f"{title}。{detail}"
    d.tap(d.find("langButton"))
    title, detail = tile.title.text(), tile.detail.text()
    assert title.isascii() and tile.accessibleName() == f"{title}. {detail}"
