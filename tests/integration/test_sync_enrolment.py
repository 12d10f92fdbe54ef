"""Enrolment against a head office on loopback: the credential outside the database (0600),
node_identity updated, the incarnation letter in the receipt number, a new series per incarnation."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys

import pytest
from sqlalchemy import select

from counter_app.core.config import Settings
from counter_app.core.paths import install_root
from counter_app.domain.errors import InvalidInput
from counter_app.domain.receipt_numbers import parse_receipt_number
from counter_app.persistence.database import unit_of_work
from counter_app.persistence.models import NodeIdentity
from counter_app.services.node import open_node_database
from counter_app.services.sync.enrolment import EnrolmentFailed, enrol
from counter_app.services.sync.files import credential_path, read_credential, read_highwater
from tests.integration.sync_fake_hq import FakeHq
from tests.integration.sync_fixtures import counter_for, enrol_node, pay


def test_enrolment_gives_identity_credential_and_a_new_receipt_series(seeded_db, data_paths) -> None:
    c = counter_for(seeded_db, data_paths)
    pay(c)  # a payment before enrolment, with the local identity: the node works without head office
    local, local_terminal = seeded_db.node_id, seeded_db.terminal_code
    with FakeHq() as hq:
        db = enrol_node(seeded_db, data_paths, hq, terminal="T03")
        try:
            credential = read_credential(data_paths.root)
            assert credential is not None and credential.previous_node_id == local
            mode = stat.S_IMODE(os.stat(credential_path(data_paths.root)).st_mode)
            assert mode == 0o600
            assert credential.secret not in data_paths.database.read_bytes().decode("latin-1")
            with unit_of_work(db.sessions) as session:
                identity = session.scalars(select(NodeIdentity)).one()
                assert (identity.node_id, identity.terminal_code, identity.incarnation, identity.hq_url) == (
                    credential.node_id, "T03", 1, hq.url)
            c = counter_for(db, data_paths)
            number = parse_receipt_number(_receipt(c))
            assert (number.terminal_code, number.incarnation, number.seq) == ("T03", 1, 1)
            # re-enrolment: incarnation 2 (letter B), a series of its own from 1
            db = enrol_node(db, data_paths, hq, code="code-2", terminal="T03")
            c = counter_for(db, data_paths)
            again = parse_receipt_number(_receipt(c))
            assert (again.terminal_code, again.incarnation, again.seq) == ("T03", 2, 1)
            assert str(again).split("-")[1] == "T03B"
            mark = read_highwater(data_paths.root)
            year = again.fiscal_year  # earlier series are carried: a restore of an older copy is still caught
            assert mark is not None and mark.node_id == db.node_id
            assert mark.seqs == {f"{local_terminal}/1/{year}": 1, f"T03/1/{year}": 1, f"T03/2/{year}": 1}
            assert hq.state.nodes[credential.node_id].status == "superseded"
        finally:
            db.dispose()


def _receipt(c) -> str:  # type: ignore[no-untyped-def]
    from counter_app.domain.allocation import MethodPart
    from tests.integration.billing_fixtures import account_with_bills, clerk

    account = account_with_bills(c)
    return c.payments.take_payment(clerk(c), account.account_id, [MethodPart("cash", 100)], bill_ids=[]).receipt_no


def test_refused_enrolment_changes_nothing(node_db, data_paths) -> None:
    with FakeHq() as hq:
        with pytest.raises(EnrolmentFailed, match="does not know this code"):
            enrol(node_db.sessions, data_paths.root, hq.url, "nope")
        hq.add_code("once")
        enrol(node_db.sessions, data_paths.root, hq.url, "once")
        first = read_credential(data_paths.root)
        with pytest.raises(EnrolmentFailed, match="used already"):
            enrol(node_db.sessions, data_paths.root, hq.url, "once")
        assert read_credential(data_paths.root) == first
    with pytest.raises(InvalidInput) as error:
        enrol(node_db.sessions, data_paths.root, "hq.example", "x")
    assert error.value.field == "hq"


def test_enrol_command_prints_the_node(node_db, data_paths) -> None:
    node_db.dispose()
    with FakeHq() as hq:
        hq.add_code("cli-code", terminal="T07")
        child = subprocess.run([sys.executable, "-m", "counter_app", "enrol", "--data-dir", str(data_paths.root),
                                "--hq", hq.url, "--code", "cli-code"], cwd=install_root(), capture_output=True,
                               text=True, timeout=120, env={**os.environ, "PYTHONPATH": str(install_root())})
    assert child.returncode == 0, child.stderr
    assert "terminal T07" in child.stdout and "T07A" in child.stdout
    credential = json.loads(credential_path(data_paths.root).read_text())
    db = open_node_database(data_paths, Settings())
    try:
        assert db.node_id == credential["node_id"] and db.terminal_code == "T07"
    finally:
        db.dispose()


def test_a_crash_between_credential_and_database_is_finished_at_the_next_start(node_db, data_paths) -> None:
    """Enrolment writes the credential, then the high-water file, then node_identity: killed in
    between, the next start makes node_identity say what the credential says."""
    with FakeHq() as hq:
        hq.add_code("c")
        status, answer = hq.enrol({"code": "c", "previous_node_id": node_db.node_id})
    assert status == 200
    from counter_app.services.sync.enrolment import _credential_from
    from counter_app.services.sync.files import HighWater, write_credential, write_highwater

    credential = _credential_from(answer, "http://127.0.0.1:9", node_db.node_id)
    write_credential(data_paths.root, credential)
    write_highwater(data_paths.root, HighWater(credential.node_id, {}))
    node_db.dispose()  # ... and the process died here
    db = open_node_database(data_paths, Settings())
    try:
        assert (db.node_id, db.terminal_code, db.restore_suspected) == (credential.node_id, "T01", None)
    finally:
        db.dispose()
