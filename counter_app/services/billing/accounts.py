"""Finding an account at the counter, and the account as the clerk sees it.

Search takes what the clerk types or scans: a 户号 (10 digits), a meter number, a fragment of the
holder's name or of the address, or the text of a bill's barcode / QR code that contains the 户号.
Exact numbers go through B-tree indexes; fragments of three characters or more through the
trigram FTS5 index ``customer_account_fts`` (migration 0004); one- and two-character name
fragments match the start of the holder's name. Every hit is checked against the account row it
came from, so a stale index can only miss an account, never show a wrong one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from typing import Callable

from sqlalchemy import Row, or_, select, text
from sqlalchemy.orm import Session

from counter_app.domain.errors import InvalidInput
from counter_app.domain.late_fee import LateFee
from counter_app.domain.timeutil import utcnow
from counter_app.domain.typed import typed_number, typed_text
from counter_app.persistence.models import CustomerAccount, Meter, Payment, PaymentPart, Receipt
from counter_app.services.billing.ledger import (
    USER_TYPE_LABELS,
    BillState,
    TariffCache,
    branch_info,
    load_account,
    open_bill_states,
    read_session,
)
from counter_app.services.node import NodeDatabase

ACCOUNT_NO = re.compile(r"[0-9]{10}")
_EMBEDDED_ACCOUNT_NO = re.compile(r"(?<![0-9])[0-9]{10}(?![0-9])")
_SCAN_KEY = re.compile(r"(?:户号|hh|acct|account|account_no|accountno|ac)\s*[:=：]\s*([0-9]{10})(?![0-9])", re.IGNORECASE)
_METER_LIKE = re.compile(r"[A-Z0-9][A-Z0-9-]*")
KINDS = ("auto", "account_no", "meter", "name", "address")
MAX_QUERY = 100
_ACCOUNT_COLUMNS = "a.id, a.account_no, a.holder, a.address, a.user_type, a.balance_fen, a.status"


def _fold(ch: str) -> str:
    folded = typed_number(ch)
    return folded if folded.isascii() and (folded.isalnum() or folded.isspace()) else ch


def normalise_query(raw: str) -> str:
    """Digits, letters and blanks in their compatibility forms (an IME's full-width ones,
    superscripts: NFKC) to ASCII, blanks squeezed, at most 100 characters; NUL and lone surrogates
    dropped. Other full-width signs stay as typed: holders and addresses are stored with them."""
    return " ".join("".join(_fold(ch) for ch in typed_text(raw)).split())[:MAX_QUERY]


def check_account_no(raw: str) -> str:
    """A typed 户号, or InvalidInput("account_no", ...) naming what is wrong with it."""
    value = normalise_query(raw).replace(" ", "")
    if not ACCOUNT_NO.fullmatch(value):
        raise InvalidInput("account_no", f"a 户号 is 10 digits, e.g. 1000000123; got '{typed_text(raw).strip()}'", code="account_no_form", got=typed_text(raw).strip())
    return value


def account_no_from_scan(raw: str) -> str | None:
    """The 户号 in a scanned bill barcode or QR text: after a key such as ``户号:`` or ``acct=``,
    else the one 10-digit run in the text (None when there is none, or several different ones)."""
    value = normalise_query(raw)
    keyed = _SCAN_KEY.search(value)
    if keyed:
        return keyed.group(1)
    runs = set(_EMBEDDED_ACCOUNT_NO.findall(value))
    return runs.pop() if len(runs) == 1 else None


@dataclass(frozen=True)
class AccountHit:
    account_id: str
    account_no: str
    holder: str
    address: str
    user_type: str
    meter_nos: tuple[str, ...]
    balance_fen: int
    status: str
    matched: str  # account_no | meter | name | address | text


@dataclass(frozen=True)
class BillLineView:
    component: str
    name_zh: str
    tier: int | None
    m3: int
    price_fen: int
    amount_fen: int

    @property
    def description(self) -> str:
        return self.name_zh if self.tier is None else f"{self.name_zh} 第{self.tier}阶梯"


@dataclass(frozen=True)
class BillView:
    bill_id: str
    period: str
    period_start: date
    period_end: date
    prev_reading: int
    curr_reading: int
    usage_m3: int
    amount_fen: int
    paid_fen: int
    due_date: date
    lines: tuple[BillLineView, ...]
    principal_owed_fen: int
    late_fee: LateFee | None  # how the fee came about (days, capped ...); None: no late-fee rule
    late_fee_owed_fen: int

    @property
    def owed_fen(self) -> int:
        return self.principal_owed_fen + self.late_fee_owed_fen


@dataclass(frozen=True)
class PaymentSummary:
    payment_id: str
    kind: str  # payment | void | refund
    receipt_no: str
    business_date: date
    created_at: datetime
    amount_fen: int  # received (negative for a void or refund)
    methods: tuple[str, ...]
    voided: bool


@dataclass(frozen=True)
class AccountView:
    account_id: str
    account_no: str
    holder: str
    address: str
    phone: str
    user_type: str
    user_type_label: str
    household_size: int
    status: str
    meters: tuple[tuple[str, int], ...]  # (meter number, DN)
    balance_fen: int
    as_of: date
    bills: tuple[BillView, ...]  # outstanding, oldest first
    last_payments: tuple[PaymentSummary, ...]  # newest first

    @property
    def owed_fen(self) -> int:
        return sum(bill.owed_fen for bill in self.bills)

    @property
    def late_fee_owed_fen(self) -> int:
        return sum(bill.late_fee_owed_fen for bill in self.bills)


def bill_view(state: BillState) -> BillView:
    bill = state.bill
    lines = tuple(BillLineView(line["component"], line["name_zh"], line.get("tier"), line["m3"], line["price_fen"],
                               line["amount_fen"]) for line in (bill.detail or {}).get("lines", ()))
    return BillView(bill.id, bill.period, bill.period_start, bill.period_end, bill.prev_reading, bill.curr_reading,
                    bill.usage_m3, bill.amount_fen, bill.paid_fen, bill.due_date, lines, state.principal_owed_fen,
                    state.late_fee, state.late_fee_owed_fen)


def _fts_phrase(token: str, column: str | None) -> str:
    phrase = '"' + token.replace('"', '""') + '"'
    return f"{column} : {phrase}" if column else phrase


class AccountService:
    """Account search and the account view. Reads only; every call is its own short read."""

    def __init__(self, db: NodeDatabase, clock: Callable[[], datetime] = utcnow) -> None:
        self._db = db
        self._clock = clock
        self._tariffs = TariffCache()

    def today(self) -> date:
        with read_session(self._db.sessions) as session:
            return branch_info(session, self._db.branch_code).today(self._clock())

    # -- search -----------------------------------------------------------------------------

    def search(self, raw: str, kind: str = "auto", limit: int = 20) -> list[AccountHit]:
        """Accounts matching what was typed or scanned, at most ``limit``; [] for nothing yet typed.

        ``kind`` narrows the search to one field; with ``account_no`` a malformed 户号 raises
        InvalidInput("account_no", ...)."""
        if kind not in KINDS:
            raise ValueError(f"kind must be one of {KINDS}")
        query = normalise_query(raw)
        if not query:
            return []
        limit = max(1, min(limit, 200))
        with read_session(self._db.sessions) as session:
            if kind == "account_no":
                return self._by_account_no(session, check_account_no(query))
            if kind == "meter":
                return self._by_meter(session, query.upper(), limit)
            if kind in ("name", "address"):
                return self._by_text(session, query, kind, limit)
            return self._auto(session, query, limit)

    def lookup_account_no(self, raw: str) -> AccountHit:
        """The account with this 户号 (typed or scanned); InvalidInput("account_no", ...) when the
        number is malformed or no account has it."""
        scanned = account_no_from_scan(raw) if len(normalise_query(raw)) > 10 else None
        account_no = scanned or check_account_no(raw)
        with read_session(self._db.sessions) as session:
            hits = self._by_account_no(session, account_no)
        if not hits:
            raise InvalidInput("account_no", f"no account {account_no} at this branch", code="account_not_here", no=account_no)
        return hits[0]

    def _auto(self, session: Session, query: str, limit: int) -> list[AccountHit]:
        compact = query.replace(" ", "")
        if ACCOUNT_NO.fullmatch(compact):
            hits = self._by_account_no(session, compact)
            return hits or self._by_meter(session, compact, limit)
        scanned = account_no_from_scan(query) if len(compact) > 10 else None
        if scanned:
            hits = self._by_account_no(session, scanned)
            if hits:
                return hits
        hits = []
        if _METER_LIKE.fullmatch(compact.upper()):
            hits += self._by_meter(session, compact.upper(), limit)
            if compact.isdigit():
                hits += self._by_account_prefix(session, compact, limit)
        seen = {hit.account_id for hit in hits}
        for hit in self._by_text(session, query, "text", limit):
            if hit.account_id not in seen and len(hits) < limit:
                hits.append(hit)
                seen.add(hit.account_id)
        return hits[:limit]

    def _hits(self, session: Session, rows: list[Row], matched: str) -> list[AccountHit]:
        if not rows:
            return []
        meters: dict[str, list[str]] = {}
        for account_id, meter_no in session.execute(
                select(Meter.account_id, Meter.meter_no).where(Meter.account_id.in_([r.id for r in rows]))
                .order_by(Meter.meter_no)):
            meters.setdefault(account_id, []).append(meter_no)
        return [AccountHit(r.id, r.account_no, r.holder, r.address, r.user_type, tuple(meters.get(r.id, ())),
                           r.balance_fen, r.status, matched) for r in rows]

    def _by_account_no(self, session: Session, account_no: str) -> list[AccountHit]:
        rows = session.execute(text(f"SELECT {_ACCOUNT_COLUMNS} FROM customer_account a WHERE a.account_no = :no"),
                               {"no": account_no}).all()
        return self._hits(session, list(rows), "account_no")

    def _by_account_prefix(self, session: Session, digits: str, limit: int) -> list[AccountHit]:
        if len(digits) < 4:
            return []
        rows = session.execute(text(f"SELECT {_ACCOUNT_COLUMNS} FROM customer_account a WHERE a.account_no >= :lo "
                                    "AND a.account_no < :hi ORDER BY a.account_no LIMIT :limit"),
                               {"lo": digits, "hi": digits + "\uffff", "limit": limit}).all()
        return self._hits(session, list(rows), "account_no")

    def _by_meter(self, session: Session, meter: str, limit: int) -> list[AccountHit]:
        account_ids = list(session.scalars(
            select(Meter.account_id).where(or_(Meter.meter_no == meter,
                                               Meter.meter_no.between(meter, meter + "\uffff")))
            .order_by(Meter.meter_no).limit(limit)))
        if not account_ids:
            return []
        rows = session.execute(select(CustomerAccount.id, CustomerAccount.account_no, CustomerAccount.holder,
                                      CustomerAccount.address, CustomerAccount.user_type, CustomerAccount.balance_fen,
                                      CustomerAccount.status).where(CustomerAccount.id.in_(account_ids))).all()
        order = {account_id: index for index, account_id in enumerate(account_ids)}
        return self._hits(session, sorted(rows, key=lambda r: order[r.id]), "meter")

    def _by_text(self, session: Session, query: str, kind: str, limit: int) -> list[AccountHit]:
        """Name and address fragments (``kind`` name, address, or text for any column)."""
        tokens = query.split()
        long_tokens = [t for t in tokens if len(t) >= 3]
        column = {"name": "holder", "address": "address"}.get(kind)
        if not long_tokens:
            if kind == "address":
                return []
            return self._by_holder_prefix(session, query, limit)
        match = " AND ".join(_fts_phrase(t, column) for t in long_tokens)
        short = [t for t in tokens if len(t) < 3]
        searched = {"holder": "a.holder", "address": "a.address"}.get(column or "", "(a.account_no || ' ' || a.holder || ' ' || a.address)")
        where = "".join(f" AND instr(lower({searched}), lower(:s{i})) > 0" for i in range(len(short)))
        params: dict[str, object] = {"match": match, "limit": limit * 2}
        params.update({f"s{i}": t for i, t in enumerate(short)})
        rows = session.execute(text(
            f"SELECT {_ACCOUNT_COLUMNS} FROM customer_account_fts f JOIN customer_account a ON a.rowid = f.rowid "
            f"WHERE customer_account_fts MATCH :match{where} LIMIT :limit"), params).all()

        def fields(r: Row) -> str:
            return {"holder": r.holder, "address": r.address}.get(column or "", f"{r.account_no} {r.holder} {r.address}").lower()
        checked = [r for r in rows if all(t.lower() in fields(r) for t in tokens)]  # a stale index never misleads
        checked.sort(key=lambda r: (r.holder != query, r.account_no))
        matched = kind
        if kind == "text":
            matched = "name" if checked and all(t.lower() in checked[0].holder.lower() for t in tokens) else "address"
        return self._hits(session, checked[:limit], matched)

    def _by_holder_prefix(self, session: Session, prefix: str, limit: int) -> list[AccountHit]:
        rows = session.execute(text(f"SELECT {_ACCOUNT_COLUMNS} FROM customer_account a WHERE a.holder >= :lo "
                                    "AND a.holder < :hi ORDER BY a.holder, a.account_no LIMIT :limit"),
                               {"lo": prefix, "hi": prefix + "\uffff", "limit": limit}).all()
        return self._hits(session, list(rows), "name")

    # -- the account view ---------------------------------------------------------------------

    def account_view(self, account_id: str, as_of: date | None = None, payments: int = 5) -> AccountView:
        """Holder, address, user type, meters, balance, outstanding bills oldest first with their
        tier breakdown and the late fee as of ``as_of`` (today by default), the last payments."""
        with read_session(self._db.sessions) as session:
            account = load_account(session, account_id)
            day = as_of or branch_info(session, self._db.branch_code).today(self._clock())
            states = open_bill_states(session, account.id, day, self._tariffs)
            meters = tuple((no, dn) for no, dn in session.execute(
                select(Meter.meter_no, Meter.size_dn).where(Meter.account_id == account.id).order_by(Meter.meter_no)))
            return AccountView(account.id, account.account_no, account.holder, account.address, account.phone,
                               account.user_type, USER_TYPE_LABELS.get(account.user_type, account.user_type),
                               account.household_size, account.status, meters, account.balance_fen, day,
                               tuple(bill_view(state) for state in states),
                               self._last_payments(session, account.id, payments))

    def _last_payments(self, session: Session, account_id: str, count: int) -> tuple[PaymentSummary, ...]:
        rows = session.execute(select(Payment, Receipt.receipt_no).outerjoin(Receipt, Receipt.payment_id == Payment.id)
                               .where(Payment.account_id == account_id)
                               .order_by(Payment.created_at.desc(), Payment.id.desc()).limit(count)).all()
        if not rows:
            return ()
        ids = [payment.id for payment, _ in rows]
        methods: dict[str, list[str]] = {}
        for payment_id, method in session.execute(select(PaymentPart.payment_id, PaymentPart.method)
                                                  .where(PaymentPart.payment_id.in_(ids))):
            methods.setdefault(payment_id, []).append(method)
        voided = set(session.scalars(select(Payment.reverses_id).where(Payment.reverses_id.in_(ids), Payment.kind == "void")))
        return tuple(PaymentSummary(p.id, p.kind, number or "", p.business_date, p.created_at, p.amount_fen,
                                    tuple(methods.get(p.id, ())), p.id in voided) for p, number in rows)
