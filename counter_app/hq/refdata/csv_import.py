"""``counter-app hq-admin import``: a branch's accounts and bills from the billing system's CSV
export, checked row by row and published in ONE change set (all accepted rows or, after a crash,
none). A rejected row is reported with its line number, the field and the rule it broke; the other
rows are imported.

Accounts file (UTF-8, header row): ``account_no, holder, address, user_type, meter_no`` and
optionally ``phone, household_size, balance_fen, status, meter_size_dn, meter_installed_on``.
Bills file: ``account_no, period, tariff_code, period_start, period_end, prev_reading,
curr_reading, amount_fen, due_date`` and optionally ``meter_no, usage_m3, paid_fen, status, detail``
(JSON). A bill's tariff version is the one of ``tariff_code`` in force on ``period_start``."""

from __future__ import annotations

import csv
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import Engine

from counter_app.domain.errors import InvalidInput, UserError
from counter_app.hq.refdata import api
from counter_app.hq.refdata.entities import check_payload
from counter_app.hq.refdata.publisher import Change, publish_now

#: (stage, done, total): stage is "accounts" or "bills"; total is None while unknown
Progress = Callable[[str, int, int | None], None]

ACCOUNT_REQUIRED = ("account_no", "holder", "address", "user_type", "meter_no")
BILL_REQUIRED = ("account_no", "period", "tariff_code", "period_start", "period_end", "prev_reading", "curr_reading",
                 "amount_fen", "due_date")
_INTS = {"household_size", "balance_fen", "meter_size_dn", "prev_reading", "curr_reading", "usage_m3", "amount_fen",
         "paid_fen"}


@dataclass(frozen=True)
class Rejected:
    file: str
    line: int
    field: str
    rule: str


@dataclass
class ImportReport:
    accounts: int = 0
    bills: int = 0
    rejected: list[Rejected] = field(default_factory=list)
    last_change_id: int = 0


class _Reject(Exception):
    def __init__(self, name: str, rule: str) -> None:
        super().__init__(f"{name}: {rule}")
        self.field, self.rule = name, rule


def _rows(path: Path, required: tuple[str, ...]) -> Iterator[tuple[int, dict[str, str]]]:
    try:
        handle = path.open(encoding="utf-8-sig", newline="")
    except OSError as error:
        raise InvalidInput("file", f"a readable CSV file ({error.strerror})", code="ref_import_file", path=str(path),
                           reason=error.strerror or "unreadable") from None
    with handle:
        reader = csv.DictReader(handle)
        missing = [name for name in required if name not in (reader.fieldnames or ())]
        if missing:
            raise InvalidInput("file", f"a header row with {', '.join(required)}", code="ref_import_file",
                               path=str(path), reason="the header lacks " + ", ".join(missing))
        for row in reader:
            yield reader.line_num, {k: (v or "").strip() for k, v in row.items() if k is not None}


def _typed(row: dict[str, str], names: tuple[str, ...]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name in names:
        value = row.get(name, "")
        if value == "":
            continue
        if name in _INTS:
            try:
                out[name] = int(value)
            except ValueError:
                raise _Reject(name, "a whole number (fen for amounts)") from None
        elif name == "detail":
            try:
                out[name] = json.loads(value)
            except ValueError:
                raise _Reject(name, "JSON") from None
        else:
            out[name] = value
    return out


def _checked(entity: str, payload: dict[str, Any]) -> dict[str, Any]:
    try:
        return check_payload(entity, payload)
    except InvalidInput as error:
        raise _Reject(error.field.partition(".")[2] or error.field, error.rule) from None


class _Tariffs:
    """Versions of each tariff code, to find the one in force on a bill's first day."""

    def __init__(self, engine: Engine) -> None:
        self._by_code: dict[str, list[tuple[str, str | None]]] = {}
        for version in api.list_current(engine, "tariff_version", limit=100_000):
            self._by_code.setdefault(version["code"], []).append((version["valid_from"], version["valid_to"]))
        for versions in self._by_code.values():
            versions.sort(reverse=True)

    def valid_from(self, code: str, day: str) -> str:
        for start, end in self._by_code.get(code, ()):
            if start <= day and (end is None or day <= end):
                return start
        raise _Reject("tariff_code", f"a tariff published at head office and in force on {day}")


def import_csv(engine: Engine, branch: str, accounts_path: Path | None, bills_path: Path | None, *,
               by: str = "hq-admin import", progress: Progress | None = None) -> ImportReport:
    report = ImportReport()
    if api.current(engine, "branch", branch, branch) is None:
        raise UserError(f"branch {branch} is not known at head office", code="ref_branch_unknown", branch=branch)
    accounts: dict[str, dict[str, Any]] = {}
    meters: dict[str, dict[str, Any]] = {}  # account_no -> its meter
    if accounts_path is not None:
        seen_meters: set[str] = set()
        for line, row in _rows(accounts_path, ACCOUNT_REQUIRED):
            try:
                values = _typed(row, (*ACCOUNT_REQUIRED, "phone", "household_size", "balance_fen", "status",
                                      "meter_size_dn", "meter_installed_on"))
                meter = {"meter_no": values.pop("meter_no", ""), "account_no": values.get("account_no", "")}
                if "meter_size_dn" in values:
                    meter["size_dn"] = values.pop("meter_size_dn")
                if "meter_installed_on" in values:
                    meter["installed_on"] = values.pop("meter_installed_on")
                account = _checked("customer_account", values)
                if account["account_no"] in accounts:
                    raise _Reject("account_no", "once in the file")
                meter = _checked("meter", meter)
                if meter["meter_no"] in seen_meters:
                    raise _Reject("meter_no", "once in the file")
            except _Reject as bad:
                report.rejected.append(Rejected(accounts_path.name, line, bad.field, bad.rule))
                continue
            seen_meters.add(meter["meter_no"])
            accounts[account["account_no"]] = account
            meters[account["account_no"]] = meter
            if progress is not None and len(accounts) % 10_000 == 0:
                progress("accounts", len(accounts), None)
    if progress is not None:
        progress("accounts", len(accounts), len(accounts))
    published = {p["account_no"]: p for p in api.list_current(engine, "meter", branch, limit=10_000_000)}
    tariffs = _Tariffs(engine)

    def bills() -> Iterator[dict[str, Any]]:
        if bills_path is None:
            return
        seen: set[str] = set()
        for line, row in _rows(bills_path, BILL_REQUIRED):
            try:
                values = _typed(row, (*BILL_REQUIRED, "meter_no", "usage_m3", "paid_fen", "status", "detail"))
                account_no = values.get("account_no", "")
                meter_no = (meters.get(account_no) or published.get(account_no) or {}).get("meter_no")
                if meter_no is None:
                    raise _Reject("account_no", f"an account of {branch} (in the accounts file or at head office)")
                values.setdefault("meter_no", meter_no)
                if values["meter_no"] != meter_no:
                    raise _Reject("meter_no", f"the meter of account {account_no} ({meter_no})")
                usage = values.get("curr_reading", 0) - values.get("prev_reading", 0)
                if usage < 0:
                    raise _Reject("curr_reading", "not below prev_reading")
                if values.setdefault("usage_m3", usage) != usage:
                    raise _Reject("usage_m3", "curr_reading - prev_reading")
                values["tariff_valid_from"] = tariffs.valid_from(values["tariff_code"], values.get("period_start", ""))
                bill = _checked("bill", values)
                key = f"{account_no}|{bill['period']}"
                if key in seen:
                    raise _Reject("period", "one bill per account and period in the file")
            except _Reject as bad:
                report.rejected.append(Rejected(bills_path.name, line, bad.field, bad.rule))
                continue
            seen.add(key)
            report.bills += 1
            if progress is not None and report.bills % 10_000 == 0:
                progress("bills", report.bills, None)
            yield bill

    def changes() -> Iterator[Change]:
        for account in accounts.values():
            yield Change("accounts_bills", branch, "customer_account", account)
        for meter in meters.values():
            yield Change("accounts_bills", branch, "meter", meter)
        for bill in bills():
            yield Change("accounts_bills", branch, "bill", bill)

    done = publish_now(engine, changes(), by)
    report.accounts, report.last_change_id = len(accounts), done.last_change_id
    if progress is not None:
        progress("bills", report.bills, report.bills)
    return report
