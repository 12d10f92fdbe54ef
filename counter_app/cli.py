"""``counter-app <role>``: one entry point for every role of the hall."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from counter_app import __version__

ROLE_HELP = {
    "demo": "the whole hall on one machine: hub in-process, demo data, every window",
    "counter": "a counter workstation (login, call panel, services)",
    "kiosk": "the ticket kiosk (full screen)",
    "display": "the hall display (full screen)",
    "manager": "the branch manager's console",
    "evaluator": "the customer-facing evaluator (评价器) of one window, on its own screen",
    "hub": "the branch hub server (headless)",
    "hq": "the head-office server (headless, PostgreSQL)",
    "hq-admin": "head office's administration: enrolment codes, nodes, quarantine, operators",
    "hq-console": "head office's console for its operators (any IT PC; logs in to head office over HTTP)",
    "seed": "fill a database with demo or benchmark data",
    "selfcheck": "check this installation: every module, database, receipt and slip, Qt plugins, every screen; exits 0 when all is well",
    "setup": "first-run set-up wizard: role, branch, hub, printer, evaluator, voice; writes the configuration",
    "backup": "copy the database now (online, checked), keeping the newest --keep scheduled copies",
    "restore": "put a backup back as this PC's database (program stopped); the node must re-enrol afterwards",
    "enrol": "enrol this PC's node with head office (node id, terminal code, credential)",
    "sync": "push this node's outbox to head office now and print the sync status as JSON",
    "hub-admin": "on the hub PC: enrol, list and revoke devices (each gets its own token); unlock staff",
    "report": "write a report: report monthly --month 2026-11 --out review.pdf|review.xlsx",
}
GUI_ROLES = ("counter", "kiosk", "display", "manager", "evaluator")


def _count(text: str) -> int:
    """A size given on the command line: a whole number, zero or more (checked before anything is created)."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"a whole number, got {text!r}") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"must not be negative, got {value}")
    return value


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="counter-app", description="营业厅窗口系统 / utility service-hall program")
    parser.add_argument("--version", action="version", version=f"counter-app {__version__}")
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--config", type=Path, help="the installation's TOML configuration file")
    common.add_argument("--data-dir", type=Path, help="folder for the database, logs and receipts")
    roles = parser.add_subparsers(dest="role", metavar="ROLE")
    for role, text in ROLE_HELP.items():
        sub = roles.add_parser(role, parents=[common], help=text, description=text)
        if role == "seed":
            sub.add_argument("--accounts", type=_count, default=5000, help="customer accounts (default 5000)")
            sub.add_argument("--months", type=_count, default=12, help="months of bills per account (default 12)")
            sub.add_argument("--days", type=_count, default=0, help="past business days of tickets (default 0)")
            sub.add_argument("--tickets-per-day", type=_count, default=300)
            sub.add_argument("--reference-from", type=Path, metavar="FILE",
                             help="instead of demo data: copy the branch's reference data (staff, windows, accounts, "
                                  "bills ...) from another node's database file, e.g. the hub's, into this counter's")
        if role == "enrol":
            sub.add_argument("--hq", required=True, help="head office's address, e.g. https://hq.example.cn")
            sub.add_argument("--code", required=True, help="the one-time enrolment code head office gave for this PC")
        if role == "sync":
            sub.add_argument("--once", action="store_true",
                             help="drain what can be drained, print the status as JSON and exit: 0 all sent, "
                                  "1 something transient left (retry later), 2 waiting on enrolment or an upgrade")
            sub.add_argument("--follow-parent", action="store_true",
                             help="run until standard input closes (how the program runs its own sync worker)")
        if role in ("hub", "hq"):
            sub.add_argument("--listen", metavar="HOST:PORT", help="address to listen on (overrides the configuration)")
        if role == "hub-admin":
            from counter_app.hub.admin import add_arguments

            add_arguments(sub)
        if role == "hq-admin":
            from counter_app.hq.admin_args import add_arguments

            add_arguments(sub)
        if role == "hq-console":
            sub.add_argument("--hq", metavar="URL", help="head office's address (default: [hq] url of the configuration)")
        if role == "report":
            sub.add_argument("kind", choices=["monthly"], help="monthly: the monthly review (每月评点)")
            sub.add_argument("--month", required=True, help="the month, YYYY-MM")
            sub.add_argument("--out", type=Path, required=True, help="the file to write, .pdf or .xlsx")
        if role == "display":
            sub.add_argument("--window", type=int, help="show the window screen of this window instead of the hall display")
        if role == "setup":
            sub.add_argument("--role", dest="setup_role", choices=("hub", "hq", *GUI_ROLES), help="preselect this role")
            sub.add_argument("--no-start", action="store_true", help="only write the configuration")
        if role == "backup":
            sub.add_argument("--keep", type=int, help="scheduled copies to keep (default: [backup].keep, 14)")
            sub.add_argument("--to", type=Path, help="folder for the copies (default: [backup].folder, else backups/)")
        if role == "restore":
            sub.add_argument("backup_file", type=Path, metavar="FILE", help="the backup to put back")
        if role == "demo":
            sub.add_argument("--split", action="store_true",
                             help="head office, a hub and two counters as separate processes, each with its own data "
                                  "folder under --data-dir (enrolled automatically); Ctrl-C stops them all")
        if role in ("demo", "counter", "kiosk", "display", "manager", "evaluator"):
            sub.add_argument("--screenshot", type=Path, help="save screenshots of every window into this folder and quit")
            sub.add_argument("--exit-when-ready", action="store_true", help=argparse.SUPPRESS)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.role is None:
        args = build_parser().parse_args(["demo", *(argv or sys.argv[1:])])
    from counter_app.app import run_role  # the composition root, imported only once arguments are sane

    return run_role(args)
