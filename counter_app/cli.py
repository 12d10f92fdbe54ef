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
    "hq": "the head-office server (headless)",
    "seed": "fill a database with demo or benchmark data",
    "report": "write a report: report monthly --month 2026-11 --out review.pdf|review.xlsx",
    "selfcheck": "check this installation: database, receipt font, Qt; exits 0 when all is well",
}


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
            sub.add_argument("--accounts", type=int, default=5000, help="customer accounts (default 5000)")
            sub.add_argument("--months", type=int, default=12, help="months of bills per account (default 12)")
            sub.add_argument("--days", type=int, default=0, help="past business days of tickets (default 0)")
            sub.add_argument("--tickets-per-day", type=int, default=300)
        if role == "report":
            sub.add_argument("kind", choices=["monthly"], help="monthly: the monthly review (每月评点)")
            sub.add_argument("--month", required=True, help="the month, YYYY-MM")
            sub.add_argument("--out", type=Path, required=True, help="the file to write, .pdf or .xlsx")
        if role == "display":
            sub.add_argument("--window", type=int, help="show the window screen of this window instead of the hall display")
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
