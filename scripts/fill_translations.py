"""Fill unfinished entries of a Qt Linguist .ts file from Python dicts of English -> Chinese.

Used by developers after `scripts/i18n-update.sh` added new strings:
    .venv/bin/python scripts/fill_translations.py assets/i18n/kiosk_zh_CN.ts my_strings.py
where my_strings.py defines one or more dicts named ZH*. Placeholders like {n} must match.
"""

from __future__ import annotations

import re
import runpy
import sys
import xml.etree.ElementTree as ET


def main(ts_path: str, *dict_files: str) -> int:
    table: dict[str, str] = {}
    for f in dict_files:
        for name, value in runpy.run_path(f).items():
            if name.startswith("ZH") and isinstance(value, dict):
                table.update(value)
    tree = ET.parse(ts_path)
    missing = []
    for m in tree.iter("message"):
        src = m.find("source").text or ""
        tr = m.find("translation")
        if tr.get("type") != "unfinished" and tr.text:
            continue
        if src in table:
            zh = table[src]
            if sorted(re.findall(r"\{\w+\}", src)) != sorted(re.findall(r"\{\w+\}", zh)):
                raise SystemExit(f"placeholders differ: {src!r} -> {zh!r}")
            tr.text = zh
            tr.attrib.pop("type", None)
        elif tr.get("type") == "unfinished" and tr.text:
            tr.attrib.pop("type", None)  # lupdate's same-text heuristic: already right
        else:
            missing.append(src)
    tree.write(ts_path, encoding="utf-8", xml_declaration=True)
    for s in missing:
        print("untranslated:", s)
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
