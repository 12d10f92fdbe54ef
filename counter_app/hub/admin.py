"""``counter-app hub-admin``: the hub's own credentials, run on the hub PC by IT.

``device-add --role ROLE [--window N] [--name NAME]`` enrols a device and prints its token once
(the hub keeps only its hash); put it in that device's configuration as ``[hub] token``.
``device-list`` shows the enrolled devices, ``device-revoke NAME|ID`` revokes one (a running hub
stops accepting it within half a second, and closes its event streams); ``staff-unlock
STAFF_NO`` lifts a lock-out before it ends. Every change is in the audit log."""

from __future__ import annotations

import argparse
import getpass
import secrets
import sys
from typing import TextIO

from counter_app.domain.errors import UserError
from counter_app.services.auth import AuthService
from counter_app.services.devices import DEVICE_ROLES, DeviceRegistry, DeviceView, IssuedDevice
from counter_app.services.node import NodeDatabase

#: What the demo enrols for itself at every start (purpose -> role, bound to the demo's window?).
DEMO_DEVICES = {"kiosk": ("kiosk", False), "display": ("display", False), "screen": ("display", True),
                "counter": ("manager", False), "evaluator": ("evaluator", True)}
DEMO_PREFIX = "demo-"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    commands = parser.add_subparsers(dest="admin_command", metavar="COMMAND", required=True)
    add = commands.add_parser("device-add", help="enrol a device and print its token once")
    add.add_argument("--role", dest="device_role", required=True, choices=DEVICE_ROLES)
    add.add_argument("--window", dest="device_window", type=int, help="the window it serves (counter, evaluator; a display: that window's screen)")
    add.add_argument("--name", default="", help="a name to recognise it by (default: made from role and window)")
    commands.add_parser("device-list", help="list the enrolled devices")
    revoke = commands.add_parser("device-revoke", help="revoke a device: it stops working at once")
    revoke.add_argument("device", help="its name or id (see device-list)")
    unlock = commands.add_parser("staff-unlock", help="lift a staff member's lock-out")
    unlock.add_argument("staff_no")


def _line(device: DeviceView) -> str:
    window = f"W{device.window:02d}" if device.window else "-"
    state = f"revoked {device.revoked_at:%Y-%m-%d %H:%M}" if device.revoked_at else "active"
    return f"{device.name:<32} {device.role:<9} {window:<4} {device.id}  {state}"


def run_admin(args: argparse.Namespace, db: NodeDatabase, out: TextIO) -> int:
    registry = DeviceRegistry(db)
    by = f"hub-admin:{getpass.getuser()}"[:50]
    try:
        if args.admin_command == "device-add":
            issued = registry.add(args.device_role, args.device_window, args.name, by=by)
            print(_line(issued.device), file=out)
            print(f"token (shown once; put it in this device's configuration as [hub] token):\n{issued.token}", file=out)
        elif args.admin_command == "device-list":
            for device in registry.list():
                print(_line(device), file=out)
        elif args.admin_command == "device-revoke":
            print(_line(registry.revoke(args.device, by=by)), file=out)
        elif args.admin_command == "staff-unlock":
            AuthService(db).unlock(args.staff_no, by_label=by)
            print(f"staff {args.staff_no.strip()} unlocked", file=out)
    except UserError as error:
        print(f"counter-app hub-admin: {error}", file=sys.stderr)
        return 2
    return 0


def enrol_demo_devices(db: NodeDatabase, window: int) -> dict[str, str]:
    """The demo's own devices, made afresh at each start (the last start's are revoked): purpose
    -> token, so ``counter-app demo`` runs with per-device credentials and nothing typed."""
    registry = DeviceRegistry(db)
    for device in registry.list(include_revoked=False):
        if device.name.startswith(DEMO_PREFIX):
            registry.revoke(device.id, by="demo")
    tokens: dict[str, str] = {}
    for purpose, (role, bound) in DEMO_DEVICES.items():
        issued: IssuedDevice = registry.add(role, window if bound else None,
                                            name=f"{DEMO_PREFIX}{purpose}-{secrets.token_hex(3)}", by="demo")
        tokens[purpose] = issued.token
    return tokens
