"""``counter-app hq-admin`` in-process against the test database: the quarantine list, resolving
an event either way, incidents, revoking; mistakes explained, nothing deleted."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from sqlalchemy import func, select

from counter_app.cli import main
from counter_app.hq.models import HQAudit, InboundEvent


@pytest.fixture
def admin(hq_url: str, tmp_path: Path, capsys):
    config = tmp_path / "hq.toml"
    config.write_text(f'[hq.database]\nurl = "{hq_url}"\n', encoding="utf-8")

    def run(*args: str) -> tuple[int, str, str]:
        logger = logging.getLogger("counter_app")  # the command sets up logging: put it back after
        saved = (list(logger.handlers), logger.propagate, logger.level)
        try:
            code = main(["hq-admin", "--config", str(config), "--data-dir", str(tmp_path / "d"), *args])
        finally:
            for handler in logger.handlers:
                if handler not in saved[0]:
                    handler.close()
            logger.handlers[:], logger.propagate, logger.level = saved
        captured = capsys.readouterr()
        return code, captured.out, captured.err

    return run


def test_quarantine_is_listed_and_resolved_by_hand(admin, make_node, client, hq_db) -> None:
    node = make_node()
    payment = node.payment(800)
    void = node.payment(-800, kind="void", reverses_id=payment["payload"]["payment"]["id"])
    broken, vouched = node.payment(5), node.payment(6)
    broken["payload"]["payment"]["amount_fen"] = 7  # edited after hashing
    vouched["payload"]["payment"]["amount_fen"] = 8
    node.push(client, [void, broken, vouched])
    code, out, _ = admin("quarantine")
    assert code == 0 and void["event_id"] in out and "depends_on_missing" in out and "payload_hash_mismatch" in out
    code, _, err = admin("resolve", void["event_id"], "--reapply", "--reason", "payment arrived")
    assert code == 2 and "not booked at head office" in err  # its payment is still absent: it stays in quarantine
    node.push(client, [payment])  # the void is booked after it, by head office itself
    code, _, err = admin("resolve", void["event_id"], "--reapply", "--reason", "payment arrived")
    assert code == 2 and "this one is applied" in err
    assert admin("resolve", broken["event_id"], "--reject", "--reason", "edited at the branch")[0] == 0
    assert admin("resolve", vouched["event_id"], "--reapply", "--reason", "matches the paper receipt")[0] == 0
    code, out, _ = admin("quarantine")
    assert code == 0 and out.count("\n") == 1  # the header only
    with hq_db.engine.connect() as connection:  # who resolved what, in head office's audit
        audited = connection.execute(select(HQAudit.action, HQAudit.entity_id).order_by(HQAudit.id)).all()
    assert [tuple(a) for a in audited] == [("event_rejected", broken["event_id"]), ("event_applied", vouched["event_id"])]
    code, _, err = admin("resolve", broken["event_id"], "--reject", "--reason", "again")
    assert code == 2 and "rejected" in err
    with hq_db.engine.connect() as connection:
        assert connection.scalar(select(func.count()).select_from(InboundEvent)) == 4  # nothing deleted


def test_incidents_and_revocation_from_the_command_line(admin, make_node, client) -> None:
    a, b = make_node(window=1), make_node(window=2)
    a.push(client, [a.payment(1, receipt_no="B001-T01A-2026-0000009")])
    b.push(client, [b.payment(2, receipt_no="B001-T01A-2026-0000009")])
    code, out, _ = admin("incidents")
    assert code == 0 and "receipt_collision" in out and "B001-T01A-2026-0000009" in out
    assert admin("revoke-node", b.node_id, "--reason", "PC stolen")[0] == 0
    code, out, _ = admin("nodes")
    assert code == 0 and "revoked" in out and a.node_id in out
    code, _, err = admin("revoke-node", "no-such-node")
    assert code == 2 and "no node no-such-node" in err


def test_operators_are_added_from_the_command_line_and_audited(admin, hq_db, monkeypatch) -> None:
    import io

    from counter_app.hq.models import HQOperator

    monkeypatch.setattr("sys.stdin", io.StringIO("s3cret-pass\n"))
    code, out, _ = admin("operator-add", "zhang.wei", "--password-stdin")
    assert code == 0 and "operator zhang.wei added" in out
    monkeypatch.setattr("sys.stdin", io.StringIO("s3cret-pass\n"))
    code, _, err = admin("operator-add", "zhang.wei", "--password-stdin")
    assert code == 2 and "exists" in err
    monkeypatch.setattr("sys.stdin", io.StringIO("short\n"))
    code, _, err = admin("operator-add", "li.na", "--password-stdin")
    assert code == 2 and "password" in err
    assert admin("operator-disable", "zhang.wei")[0] == 0
    code, _, err = admin("operator-enable", "nobody")
    assert code == 2 and "name" in err
    with hq_db.engine.connect() as connection:
        operators = connection.execute(select(HQOperator.name, HQOperator.disabled, HQOperator.password_hash)).all()
        actions = connection.execute(select(HQAudit.actor_label, HQAudit.action).order_by(HQAudit.id)).all()
    assert [(n, d) for n, d, _ in operators] == [("zhang.wei", True)] and operators[0][2].startswith("$argon2id$")
    assert [(label.split(":")[0], action) for label, action in actions] == [("hq-admin", "operator_added"),
                                                                            ("hq-admin", "operator_disabled")]
