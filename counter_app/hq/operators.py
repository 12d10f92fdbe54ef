"""Head-office operators: the people who use the console (not branch staff). Argon2id hashes as
the branch's staff have, the same lock-out rule, bearer sessions stored as their SHA-256, and an
audit row for every login, refusal and act at head office (:func:`record`)."""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection, Engine, insert, select, update
from sqlalchemy.exc import IntegrityError

from counter_app.domain.errors import InvalidInput, NotAllowed, UserError
from counter_app.domain.ids import new_id
from counter_app.domain.staff_rules import LockoutPolicy, hash_password, verify_password
from counter_app.domain.timeutil import utcnow
from counter_app.hq.errors import ConsoleSessionEnded
from counter_app.hq.models import HQAudit, HQConsoleSession, HQOperator

_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{1,39}")
#: a console session ends this long after login, or after this long unused
SESSION_HOURS = 10
SESSION_IDLE = timedelta(hours=1)
_TOUCH_EVERY = timedelta(seconds=60)
_stand_in: list[str] = []


@dataclass(frozen=True)
class Operator:
    id: str
    name: str


@dataclass(frozen=True)
class ConsoleLogin:
    token: str  # given to the console once; head office keeps its hash
    operator: Operator
    expires_at: datetime


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "replace")).hexdigest()


def check_name(name: str) -> str:
    name = (name or "").strip()
    if not _NAME.fullmatch(name):
        raise InvalidInput("name", "2-40 letters, digits, '.', '_' or '-', starting with a letter or digit",
                           code="hq_operator_name")
    return name


def record(connection: Connection, operator: Operator | None, action: str, *, entity: str = "", entity_id: str = "",
           label: str = "", now: datetime | None = None, **detail: Any) -> None:
    """One audit row in the caller's transaction: who (the operator, or ``label`` such as hq-admin)."""
    connection.execute(insert(HQAudit).values(
        at=now or utcnow(), operator_id=operator.id if operator else None,
        actor_label=(operator.name if operator else label)[:64], action=action, entity=entity,
        entity_id=str(entity_id)[:64], detail=detail))


def add_operator(engine: Engine, name: str, password: str, by: str = "hq-admin", now: datetime | None = None) -> Operator:
    name = check_name(name)
    hashed = hash_password(password)
    now = now or utcnow()
    operator = Operator(new_id(), name)
    try:
        with engine.begin() as connection:
            connection.execute(insert(HQOperator).values(id=operator.id, name=name, password_hash=hashed, disabled=False,
                                                         failed_logins=0, created_at=now))
            record(connection, None, "operator_added", entity="operator", entity_id=operator.id, label=by, now=now,
                   name=name)
    except IntegrityError:
        raise NotAllowed(f"operator {name} exists", code="hq_operator_exists", name=name) from None
    return operator


def set_disabled(engine: Engine, name: str, disabled: bool, by: str = "hq-admin") -> None:
    """Switch an operator off (or on again); their open sessions end with it."""
    now = utcnow()
    with engine.begin() as connection:
        found = connection.execute(update(HQOperator).where(HQOperator.name == name).values(disabled=disabled)
                                   .returning(HQOperator.id)).first()
        if found is None:
            raise InvalidInput("name", "the name of an operator", code="hq_operator_unknown", name=name)
        if disabled:
            connection.execute(update(HQConsoleSession).where(HQConsoleSession.operator_id == found.id,
                                                              HQConsoleSession.ended_at.is_(None)).values(ended_at=now))
        record(connection, None, "operator_disabled" if disabled else "operator_enabled", entity="operator",
               entity_id=found.id, label=by, now=now, name=name)


def _stand_in_hash() -> str:
    if not _stand_in:
        _stand_in.append(hash_password(secrets.token_urlsafe(16)))
    return _stand_in[0]


def login(engine: Engine, name: str, password: str, policy: LockoutPolicy = LockoutPolicy(),
          now: datetime | None = None, client: str = "") -> ConsoleLogin:
    """Check the password outside any transaction (argon2 is slow), then record the outcome."""
    name = (name or "").strip()
    if not name:
        raise InvalidInput("name", "enter your operator name", code="hq_operator_name_required")
    if not password:
        raise InvalidInput("password", "enter your password", code="password_required")
    with engine.connect() as connection:
        account = connection.execute(select(HQOperator).where(HQOperator.name == name)).first()
    matches = verify_password(account.password_hash if account else _stand_in_hash(), password)
    now = now or utcnow()
    refusal: UserError | None = None
    with engine.begin() as connection:
        row = connection.execute(select(HQOperator).where(HQOperator.name == name).with_for_update()).first()
        who = Operator(row.id, row.name) if row is not None else None
        if row is None:
            record(connection, None, "login_failed", label=f"?{len(name)}", now=now, reason="unknown name", client=client)
            refusal = NotAllowed("wrong name or password", code="hq_login_wrong")
        elif row.disabled:
            record(connection, who, "login_refused", now=now, reason="disabled", client=client)
            refusal = NotAllowed("this operator is disabled", code="hq_login_disabled")
        elif policy.is_locked(row.locked_until, now):
            record(connection, who, "login_refused", now=now, reason="locked", client=client)
            refusal = NotAllowed("locked", code="hq_login_locked", until=row.locked_until.isoformat(timespec="minutes"))
        elif not matches or row.password_hash != account.password_hash:
            failures, locked_until = policy.after_failure(row.failed_logins, now)
            connection.execute(update(HQOperator).where(HQOperator.id == row.id)
                               .values(failed_logins=failures, locked_until=locked_until))
            record(connection, who, "login_failed", now=now, reason="wrong password", client=client)
            if locked_until is not None:
                record(connection, who, "operator_locked", now=now, until=locked_until.isoformat())
                refusal = NotAllowed("locked", code="hq_login_locked", until=locked_until.isoformat(timespec="minutes"))
            else:
                refusal = NotAllowed("wrong name or password", code="hq_login_tries_left",
                                     n=policy.tries_left(failures))
        else:
            token = secrets.token_urlsafe(32)
            expires = now + timedelta(hours=SESSION_HOURS)
            connection.execute(update(HQOperator).where(HQOperator.id == row.id)
                               .values(failed_logins=0, locked_until=None, last_login_at=now))
            connection.execute(insert(HQConsoleSession).values(token_sha256=token_hash(token), operator_id=row.id,
                                                               created_at=now, last_used_at=now, expires_at=expires))
            record(connection, who, "login", now=now, client=client)
    if refusal is not None:
        raise refusal
    assert who is not None
    return ConsoleLogin(token, who, expires)


def session_operator(connection: Connection, token: str, now: datetime | None = None) -> Operator:
    """The operator a bearer token stands for, inside the request's transaction; refreshes its use."""
    if not token:
        raise ConsoleSessionEnded("no console session: log in")
    now = now or utcnow()
    row = connection.execute(
        select(HQConsoleSession.token_sha256, HQConsoleSession.last_used_at, HQConsoleSession.expires_at,
               HQConsoleSession.ended_at, HQOperator.id, HQOperator.name, HQOperator.disabled)
        .join(HQOperator, HQOperator.id == HQConsoleSession.operator_id)
        .where(HQConsoleSession.token_sha256 == token_hash(token))).first()
    if (row is None or row.ended_at is not None or row.disabled or row.expires_at <= now
            or now - row.last_used_at > SESSION_IDLE):
        raise ConsoleSessionEnded("the console session has ended: log in again")
    if now - row.last_used_at >= _TOUCH_EVERY:
        connection.execute(update(HQConsoleSession).where(HQConsoleSession.token_sha256 == row.token_sha256)
                           .values(last_used_at=now))
    return Operator(row.id, row.name)


def logout(engine: Engine, token: str) -> None:
    now = utcnow()
    with engine.begin() as connection:
        operator = session_operator(connection, token, now)
        connection.execute(update(HQConsoleSession).where(HQConsoleSession.token_sha256 == token_hash(token))
                           .values(ended_at=now))
        record(connection, operator, "logout", now=now)


def recent_audit(engine: Engine, limit: int = 200) -> list[Any]:
    with engine.connect() as connection:
        return list(connection.execute(select(HQAudit.id, HQAudit.at, HQAudit.actor_label, HQAudit.action,
                                              HQAudit.entity, HQAudit.entity_id, HQAudit.detail)
                                       .order_by(HQAudit.id.desc()).limit(limit)))
