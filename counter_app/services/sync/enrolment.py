"""Enrolment with head office (SYNC_CONTRACT.md endpoint 2): a one-time code buys this node its
node id, terminal code, incarnation and own secret.

The order of the writes makes a crash at any point harmless: (1) the credential file, (2) the
receipt high-water file reset for the new node, (3) the database's ``node_identity``. A node
that died after (1) or (2) finishes (3) at its next start (:func:`finish_enrolment`), because
the credential names the database's node as its predecessor."""

from __future__ import annotations

import base64
import binascii
import logging
import platform
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from counter_app import __version__
from counter_app.core.syncwire import ACCEPTED_SCHEMA_VERSIONS, H_PROTOCOL, PROTOCOL_VERSION
from counter_app.domain.errors import InvalidInput, UserError
from counter_app.domain.receipt_numbers import BRANCH_CODE, TERMINAL_CODE, incarnation_letter
from counter_app.domain.timeutil import utcnow
from counter_app.persistence.database import unit_of_work
from counter_app.persistence.models import NodeIdentity, ReceiptSequence
from counter_app.services.sync.files import Credential, HighWater, read_highwater, write_credential, write_highwater

log = logging.getLogger(__name__)
SCHEMA_VERSION = max(ACCEPTED_SCHEMA_VERSIONS)


class EnrolmentFailed(UserError):
    """Head office refused or could not be reached; nothing was changed."""


#: ``post(url, json_body, headers) -> (status, json)``; raises OSError-like errors when unreachable.
Poster = Callable[[str, dict[str, Any], dict[str, str]], tuple[int, dict[str, Any]]]


def httpx_poster(url: str, body: dict[str, Any], headers: dict[str, str]) -> tuple[int, dict[str, Any]]:
    import httpx

    try:
        response = httpx.post(url, json=body, headers=headers, timeout=httpx.Timeout(60.0, connect=10.0))
    except httpx.HTTPError as error:
        raise EnrolmentFailed(f"head office at {url} cannot be reached ({type(error).__name__}: {error}); "
                              "nothing was changed: check the address and the network, then try again") from None
    try:
        answer = response.json()
    except ValueError:
        answer = {}
    return response.status_code, answer if isinstance(answer, dict) else {}


def check_hq_url(url: str) -> str:
    url = (url or "").strip().rstrip("/")
    if not url.startswith(("http://", "https://")) or len(url) > 200:
        raise InvalidInput("hq", f"an http(s) address such as https://hq.example.cn, got {url!r}", code="hq_url_form", got=url)
    return url


def check_code(code: str) -> str:
    code = (code or "").strip()
    if not code or len(code) > 100 or any(c.isspace() for c in code):
        raise InvalidInput("code", "the one-time enrolment code head office gave for this PC, without spaces", code="enrol_code_form")
    return code


def _credential_from(answer: dict[str, Any], hq_url: str, previous: str | None) -> Credential:
    import re

    try:
        node_id, branch, terminal = str(answer["node_id"]), str(answer["branch_code"]), str(answer["terminal_code"])
        incarnation, secret, role = answer["incarnation"], str(answer["secret"]), str(answer.get("role") or "")
        base64.b64decode(secret, validate=True)
        incarnation_letter(incarnation)
    except (KeyError, TypeError, binascii.Error, InvalidInput) as error:
        raise EnrolmentFailed(f"head office answered the enrolment without a usable {error}; nothing was changed") from None
    if not re.fullmatch(BRANCH_CODE, branch) or not re.fullmatch(TERMINAL_CODE, terminal) or len(node_id) > 36:
        raise EnrolmentFailed(f"head office gave codes this program cannot number receipts with "
                              f"(branch {branch!r}, terminal {terminal!r}); nothing was changed")
    return Credential(node_id, secret, hq_url, branch, terminal, int(incarnation), role, previous, utcnow().isoformat())


def enrol(sessions: Any, data_dir: Path, hq_url: str, code: str, *, post: Poster = httpx_poster,
          hostname: str | None = None) -> Credential:
    """Enrol this node; returns its new credential. Refusals raise :class:`EnrolmentFailed`."""
    hq_url, code = check_hq_url(hq_url), check_code(code)
    with unit_of_work(sessions) as session:
        identity = session.scalars(select(NodeIdentity)).first()
        previous = identity.node_id if identity is not None else None
    body = {"code": code, "hostname": hostname or platform.node(), "app_version": __version__,
            "schema_version": SCHEMA_VERSION, "previous_node_id": previous}
    status, answer = post(f"{hq_url}/v1/enrol", body, {H_PROTOCOL: str(PROTOCOL_VERSION)})
    if status != 200:
        reason = {"enrol_code_unknown": "head office does not know this code",
                  "enrol_code_used": "this code was used already (each code enrols one PC once)",
                  "enrol_code_expired": "this code has expired",
                  "upgrade_required": "head office needs a newer version of this program"}.get(
            str(answer.get("code")), str(answer.get("message") or f"HTTP {status}"))
        raise EnrolmentFailed(f"enrolment refused: {reason}; nothing was changed: ask head office for a new code")
    credential = _credential_from(answer, hq_url, previous)
    write_credential(data_dir, credential)
    old = read_highwater(data_dir)
    carried = HighWater(credential.node_id, dict(old.seqs) if old is not None else {})
    write_highwater(data_dir, carried)
    with unit_of_work(sessions) as session:
        finish_enrolment(session, credential, carried)
    log.info("enrolled with %s as node %s (%s %s, incarnation %s)", hq_url, credential.node_id,
             credential.branch_code, credential.terminal_code, credential.incarnation)
    return credential


def finish_enrolment(session: Session, credential: Credential, mark: HighWater | None) -> bool:
    """Make ``node_identity`` say what the credential says, if the credential was made for this
    database (its predecessor is the database's node). Returns whether anything changed.

    Every receipt series the high-water file knows is moved past its mark first: head office's
    first incarnation (letter A) may be the very series the node used before enrolment, and a
    restored database must not hand out again the numbers its lost copy issued."""
    identity = session.scalars(select(NodeIdentity)).first()
    if identity is None or identity.node_id == credential.node_id or identity.node_id != credential.previous_node_id:
        return False
    for key, seq in (mark.seqs if mark is not None else {}).items():
        terminal, incarnation, year = key.split("/")
        row = session.get(ReceiptSequence, (terminal, int(incarnation), int(year)))
        if row is None:
            session.add(ReceiptSequence(terminal_code=terminal, incarnation=int(incarnation), fiscal_year=int(year),
                                        next_value=seq + 1))
        elif row.next_value <= seq:
            row.next_value = seq + 1
    session.flush()
    session.execute(update(NodeIdentity).where(NodeIdentity.node_id == identity.node_id).values(
        node_id=credential.node_id, branch_code=credential.branch_code, terminal_code=credential.terminal_code,
        incarnation=credential.incarnation, role=credential.role or identity.role, enrolled_at=utcnow(),
        hq_url=credential.hq_url, receipts_locked=False))
    session.expire_all()
    log.info("node identity is now %s (%s %s, incarnation %s)", credential.node_id, credential.branch_code,
             credential.terminal_code, credential.incarnation)
    return True
