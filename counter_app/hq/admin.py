"""``counter-app hq-admin …``: what head office's IT person does by hand — enrolment codes (text
and QR), revoking a node, the node list, the quarantine and its resolution, incidents."""

from __future__ import annotations

import argparse
import io
import sys
from datetime import datetime
from pathlib import Path
from typing import TextIO

import segno

from counter_app.core.config import Settings
from counter_app.domain.errors import UserError
from counter_app.hq.database import open_hq_database
from counter_app.hq.enrolment import issue_code, list_nodes, revoke
from counter_app.hq.errors import HQError
from counter_app.hq.quarantine import incidents, list_quarantine, reapply, reject
from counter_app.hq.refdata.import_cli import run_import

def _when(moment: datetime | None) -> str:
    return moment.strftime("%Y-%m-%d %H:%M:%S") if moment else "never"


def _table(out: TextIO, header: tuple[str, ...], rows: list[tuple[object, ...]]) -> None:
    cells = [tuple(str(c) for c in header)] + [tuple("-" if c is None else str(c) for c in r) for r in rows]
    widths = [max(len(r[i]) for r in cells) for i in range(len(header))]
    for row in cells:
        out.write("  ".join(c.ljust(w) for c, w in zip(row, widths)).rstrip() + "\n")


def print_code(out: TextIO, code: str, branch: str, terminal: str, role: str, expires: datetime,
               png: Path | None) -> None:
    out.write(f"Enrolment code for {branch} {terminal} ({role}): {code}\n")
    out.write(f"Valid until {_when(expires)} UTC, once.\n")
    qr = segno.make(code, error="m")
    buffer = io.StringIO()
    qr.terminal(out=buffer, compact=True)
    out.write(buffer.getvalue())
    if png is not None:
        qr.save(str(png), scale=8, border=4)
        out.write(f"QR code saved to {png}\n")


def run_admin(args: argparse.Namespace, settings: Settings, data_dir: Path, out: TextIO | None = None) -> int:
    db = open_hq_database(settings, data_dir, pool_size=1)
    try:
        return _run(args, settings, db.engine, out or sys.stdout)
    except (HQError, UserError) as error:
        print(f"counter-app hq-admin: {error.message}", file=sys.stderr)
        return 2
    finally:
        db.dispose()


def _run(args: argparse.Namespace, settings: Settings, engine, out: TextIO) -> int:  # type: ignore[no-untyped-def]
    if args.command == "enrol-code":
        issued = issue_code(engine, args.branch, args.node_role, args.window, args.days or settings.hq.enrol_code_days)
        print_code(out, issued.code, issued.branch_code, issued.terminal_code, issued.role, issued.expires_at, args.png)
    elif args.command == "revoke-node":
        if not revoke(engine, args.node_id, args.reason):
            print(f"counter-app hq-admin: no node {args.node_id}", file=sys.stderr)
            return 2
        out.write(f"node {args.node_id} revoked\n")
    elif args.command == "nodes":
        _table(out, ("node", "branch", "terminal", "inc", "role", "status", "host", "last contact", "lag s",
                     "events", "gaps", "quarantined"),
               [(n.node_id, n.branch_code, n.terminal_code, n.incarnation, n.role, n.status, n.hostname,
                 _when(n.last_seen_at), None if n.lag_seconds is None else round(n.lag_seconds), n.events, n.gaps,
                 n.quarantined) for n in list_nodes(engine)])
    elif args.command == "quarantine":
        _table(out, ("event", "node", "channel", "seq", "type", "code", "detail", "received"),
               [(q.event_id, q.node_id, q.channel, q.channel_seq, q.event_type, q.error_code, q.error_detail,
                 _when(q.received_at)) for q in list_quarantine(engine, args.node)])
    elif args.command == "resolve":
        if args.reapply:
            reapply(engine, args.event_id, args.reason, args.by)
            out.write(f"event {args.event_id} re-applied\n")
        else:
            reject(engine, args.event_id, args.reason, args.by)
            out.write(f"event {args.event_id} rejected\n")
    elif args.command == "import":
        return run_import(engine, args, out)
    elif args.command == "incidents":
        _table(out, ("id", "kind", "node", "event", "detail", "raised"),
               [(i.id, i.kind, i.node_id, i.event_id, i.detail, _when(i.raised_at)) for i in incidents(engine)])
    return 0
