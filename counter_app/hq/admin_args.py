"""The arguments of ``counter-app hq-admin``, kept free of heavy imports: the CLI builds its
parser for every role."""

from __future__ import annotations

import argparse
from pathlib import Path

#: node roles head office enrols, and the letter of their terminal codes (contract §2)
ROLES = ("hub", "counter", "kiosk", "display", "evaluator")

COMMANDS = {
    "enrol-code": "make a one-time enrolment code for a branch node (printed as text and QR code)",
    "revoke-node": "refuse every later request of a node",
    "nodes": "list enrolled nodes with last contact, lag, gaps and quarantined events",
    "quarantine": "list quarantined events",
    "resolve": "resolve a quarantined event: --reapply or --reject, with --reason",
    "incidents": "list sync incidents (receipt collisions, conflicting events, broken chains)",
    "import": "load a branch's accounts and bills from the billing system's CSV export",
}


def add_arguments(parser: argparse.ArgumentParser) -> None:
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for name, text in COMMANDS.items():
        sub = commands.add_parser(name, help=text, description=text)
        # also accepted after the command; SUPPRESS keeps a value given before it
        sub.add_argument("--config", type=Path, default=argparse.SUPPRESS, help="the head office's TOML configuration")
        sub.add_argument("--data-dir", type=Path, default=argparse.SUPPRESS,
                         help="folder of the embedded PostgreSQL and logs")
        if name == "enrol-code":
            sub.add_argument("--branch", required=True, help="branch code, e.g. B001")
            sub.add_argument("--role", dest="node_role", required=True, choices=ROLES, help="what the node is")
            sub.add_argument("--window", type=int, help="window number (counter, evaluator; kiosk/display number)")
            sub.add_argument("--days", type=int, help="days the code stays valid (default: hq.enrol_code_days)")
            sub.add_argument("--png", type=Path, help="also save the QR code as a PNG file")
        if name == "revoke-node":
            sub.add_argument("node_id")
            sub.add_argument("--reason", default="revoked by head office")
        if name == "quarantine":
            sub.add_argument("--node", help="only this node's events")
        if name == "resolve":
            sub.add_argument("event_id")
            action = sub.add_mutually_exclusive_group(required=True)
            action.add_argument("--reapply", action="store_true", help="apply the event's effect now")
            action.add_argument("--reject", action="store_true", help="keep it, marked rejected")
            sub.add_argument("--reason", required=True, help="why (kept with the event)")
            sub.add_argument("--by", default="hq-admin", help="who resolves it")
        if name == "import":
            sub.add_argument("--branch", required=True, help="branch code, e.g. B001 (published at head office)")
            sub.add_argument("--accounts", type=Path, help="accounts CSV (account_no, holder, address, user_type, meter_no ...)")
            sub.add_argument("--bills", type=Path, help="bills CSV (account_no, period, tariff_code, readings, amount_fen ...)")
            sub.add_argument("--rejected", type=Path, help="also write the rejected rows to this CSV file")
            sub.add_argument("--by", default="hq-admin import", help="who imports (kept in the change log)")
