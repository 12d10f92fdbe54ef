"""Fill translations into a Qt .ts file from tab-separated lines on standard input:

    context<TAB>source<TAB>translation        (write \\n for a line break)

    python scripts/ts_fill.py resources/translations/counter_app_zh_CN.ts < new-strings.tsv

Entries are matched by context and source; filled entries lose their "unfinished" mark. Lines that
match nothing are reported, so a typo does not pass silently. Use pyside6-linguist for review.
"""

from __future__ import annotations

import sys
import xml.etree.ElementTree as ET


def main(path: str) -> int:
    wanted: dict[tuple[str, str], str] = {}
    for line in sys.stdin.read().splitlines():
        if line.strip() and not line.startswith("#"):
            context, source, translation = (part.replace("\\n", "\n") for part in line.split("\t"))
            wanted[(context, source)] = translation
    tree = ET.parse(path)
    used = set()
    for context in tree.getroot().iter("context"):
        name = context.findtext("name")
        for message in context.iter("message"):
            key = (name, message.findtext("source"))
            if key in wanted:
                element = message.find("translation")
                element.text = wanted[key]
                element.attrib.pop("type", None)
                used.add(key)
    tree.write(path, encoding="utf-8", xml_declaration=True)
    unused = set(wanted) - used
    for context, source in sorted(unused):
        print(f"no such message: {context} / {source!r}", file=sys.stderr)
    return 1 if unused else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1]))
