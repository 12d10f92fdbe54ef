"""The terminal side of ``hq-admin import``: a progress bar on stderr and the rejected rows."""

from __future__ import annotations

import argparse
import csv
import sys
import time
from typing import TextIO

from sqlalchemy import Engine

from counter_app.domain.errors import InvalidInput
from counter_app.hq.refdata.csv_import import ImportReport, import_csv

SHOWN_REJECTED = 50


class ProgressBar:
    """``bills  [##########----------]  1,200,000 / 2,400,000`` redrawn in place on a terminal
    (at most 10 times a second), one line per stage elsewhere."""

    def __init__(self, stream: TextIO, width: int = 30) -> None:
        self.stream, self.width = stream, width
        self.tty = stream.isatty()
        self._last = 0.0
        self.started = time.monotonic()

    def __call__(self, stage: str, done: int, total: int | None) -> None:
        now = time.monotonic()
        final = total is not None and done >= total
        if not final and now - self._last < 0.1:
            return
        self._last = now
        if total:
            filled = int(self.width * min(done, total) / total)
            bar = "#" * filled + "-" * (self.width - filled)
            text = f"{stage:<8} [{bar}] {done:>12,} / {total:,}"
        else:
            text = f"{stage:<8} {done:>12,} rows read, {now - self.started:6.1f} s"
        if self.tty:
            self.stream.write("\r" + text + ("\n" if final else ""))
        elif final:
            self.stream.write(text + "\n")
        self.stream.flush()


def print_report(out: TextIO, report: ImportReport, seconds: float) -> None:
    out.write(f"imported {report.accounts:,} accounts and {report.bills:,} bills in {seconds:.1f} s "
              f"(change set up to {report.last_change_id})\n")
    if not report.rejected:
        out.write("no row rejected\n")
        return
    out.write(f"{len(report.rejected):,} rows rejected (file, line, field: rule):\n")
    for row in report.rejected[:SHOWN_REJECTED]:
        out.write(f"  {row.file}:{row.line}  {row.field}: {row.rule}\n")
    if len(report.rejected) > SHOWN_REJECTED:
        out.write(f"  ... and {len(report.rejected) - SHOWN_REJECTED:,} more (--rejected FILE lists them all)\n")


def run_import(engine: Engine, args: argparse.Namespace, out: TextIO, err: TextIO | None = None) -> int:
    if args.accounts is None and args.bills is None:
        print("counter-app hq-admin import: give --accounts FILE, --bills FILE or both", file=sys.stderr)
        return 2
    began = time.monotonic()
    try:
        report = import_csv(engine, args.branch, args.accounts, args.bills, by=args.by,
                            progress=ProgressBar(err or sys.stderr))
    except InvalidInput as error:
        print(f"counter-app hq-admin import: {error.params.get('path', '')}: {error.params.get('reason', error.rule)}",
              file=sys.stderr)
        return 2
    print_report(out, report, time.monotonic() - began)
    if args.rejected is not None:
        with args.rejected.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(("file", "line", "field", "rule"))
            writer.writerows((r.file, r.line, r.field, r.rule) for r in report.rejected)
    return 1 if report.rejected else 0
