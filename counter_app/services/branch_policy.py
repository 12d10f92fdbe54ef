"""The local policy a branch applies on a business day: head office's dated values over the
installation's TOML (issue 10 item 1, the ``policy`` stream).

Head office publishes a branch's policy tables (``[queue]``, ``[billing]``, ``[quality]``,
``[offline]``, ``[stats]`` … of ``core.config.POLICY_TABLES``) in the ``policy`` stream; the
branch keeps them in ``ref_policy`` (``services.sync.refdata``). A table's values at head office
are its keys in force from the start, plus dated entries, each in force from its ``from`` day
(the business day, in the branch's zone) until a later entry changes the same key::

    {"login_days": 14,
     "dated": [{"from": "2027-01-01", "login_days": 3}, {"from": "2027-03-01", "login_days": 7}]}

On day D a key takes the value of the latest entry from on or before D that names it, else the
undated value, else the TOML file's (head office published nothing for it), else the reader's
default. Readers that act at a moment (a payment's allocation, an offline login) ask for that
day; the ones read when a program starts get the values of the day it starts
(:func:`settings_on`). A value head office sent that a reader refuses is logged and the TOML's
kept, so a bad publication never stops a window."""

from __future__ import annotations

import json
import logging
from dataclasses import replace
from datetime import date
from typing import Any, Callable, TypeVar

from sqlalchemy import text
from sqlalchemy.orm import Session, sessionmaker

from counter_app.core.config import POLICY_TABLES, ConfigError, Settings
from counter_app.domain.dated import in_force
from counter_app.domain.errors import UserError
from counter_app.domain.timeutil import branch_zone, business_day, utcnow

log = logging.getLogger(__name__)
T = TypeVar("T")


_PUBLISHED = text('SELECT name, "values" FROM ref_policy WHERE hq_version > 0')


def head_office_tables(source: Session | sessionmaker[Session]) -> dict[str, dict[str, Any]]:
    """Every policy table head office published for this branch, as received (``dated`` kept);
    read in ``source`` when it is a session (inside its transaction), else in a read of its own."""
    if isinstance(source, Session):
        rows = source.execute(_PUBLISHED).all()
    else:
        with source() as session:
            session.connection(execution_options={"sqlite_begin": "DEFERRED"})
            rows = session.execute(_PUBLISHED).all()
            session.rollback()
    return {name: (json.loads(values) if isinstance(values, str) else dict(values or {})) for name, values in rows}


def settings_on(settings: Settings, source: Session | sessionmaker[Session], day: date) -> Settings:
    """``settings`` with each policy table overlaid by head office's values in force on ``day``."""
    published = head_office_tables(source)
    if not published:
        return settings
    tables = {name: dict(values) for name, values in settings.policy.items()}
    for name, values in published.items():
        if name in POLICY_TABLES:
            tables[name] = {**tables.get(name, {}), **in_force(values, day)}
    return replace(settings, policy=tables)


def read_policy(reader: Callable[[Settings], T], settings: Settings, source: Session | sessionmaker[Session],
                day: date) -> T:
    """``reader`` (``billing_policy``, ``offline_policy`` …) over the values in force on ``day``;
    the TOML's alone when head office's are refused (logged: head office has a bad value)."""
    try:
        return reader(settings_on(settings, source, day))
    except (ConfigError, UserError, TypeError, ValueError) as refused:
        log.error("head office's policy for %s is refused (%s): the installation's values hold", day, refused)
        return reader(settings)


def read_policy_today(reader: Callable[[Settings], T], settings: Settings, source: Session | sessionmaker[Session]) -> T:
    """:func:`read_policy` for the branch's business day now (a reader taken when a program starts
    or a window opens)."""
    return read_policy(reader, settings, source, business_day(utcnow(), branch_zone(settings.branch.timezone)))


def read_policy_at_start(reader: Callable[[Settings], T], settings: Settings,
                         source: Session | sessionmaker[Session]) -> T:
    """:func:`read_policy_today` for a program or window that starts: the installation's own table
    is checked first, so a bad TOML stops the start (``ConfigError``) even where head office's
    values would cover the bad key."""
    reader(settings)
    return read_policy_today(reader, settings, source)
