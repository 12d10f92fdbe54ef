"""Tables to an XLSX workbook (openpyxl): one sheet per table, bold header, numbers as numbers
with their format (yuan with two decimals, percentages, minutes), column widths that fit."""

from __future__ import annotations

from pathlib import Path
from typing import Iterable

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from counter_app.services.stats.tables import Table

FORMATS = {"yuan": "#,##0.00", "pct": '0.00"%"', "min": "0.0", "days": "0.0", "int": "0"}
_SHEET_FORBIDDEN = str.maketrans({c: "_" for c in "[]:*?/\\"})


def write_xlsx(tables: Iterable[Table], path: Path, title: str = "") -> Path:
    book = Workbook()
    book.remove(book.active)
    used: set[str] = set()
    for table in tables:
        name = table.title.translate(_SHEET_FORBIDDEN)[:31] or "Sheet"
        while name in used:
            name = name[:28] + f"_{len(used)}"
        used.add(name)
        sheet = book.create_sheet(name)
        start = 1
        if title:
            sheet.cell(1, 1, title).font = Font(bold=True, size=13)
            start = 3
        for c, column in enumerate(table.columns, start=1):
            cell = sheet.cell(start, c, column.title)
            cell.font = Font(bold=True)
            cell.fill = PatternFill("solid", fgColor="DDEBF7")
            cell.alignment = Alignment(horizontal="center", wrap_text=True)
        for r, row in enumerate(table.rows, start=start + 1):
            for c, (value, column) in enumerate(zip(row, table.columns), start=1):
                cell = sheet.cell(r, c, value)
                if column.kind in FORMATS and value is not None:
                    cell.number_format = FORMATS[column.kind]
        for c, column in enumerate(table.columns, start=1):
            values = [column.title, *(str(row[c - 1]) for row in table.rows if row[c - 1] is not None)]
            width = max(sum(2 if ord(ch) > 0x2E80 else 1 for ch in v) for v in values)
            sheet.column_dimensions[get_column_letter(c)].width = min(40, width + 2)
        sheet.freeze_panes = sheet.cell(start + 1, 2)
    path.parent.mkdir(parents=True, exist_ok=True)
    book.save(path)
    return path
