"""What a node keeps next to its database, outside it: its head-office credential and the
receipt high-water mark. Both are written atomically (temporary file, fsync, rename, fsync of the
folder) so a crash leaves the old or the new content, never half of it; the credential is
readable by the owner only (mode 0600).

A restored or replaced database file cannot roll these back: that is what makes them useful
(SYNC.md c.2, the restore guard)."""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

CREDENTIAL_FILE = "credential.json"
HIGHWATER_FILE = "receipts.highwater"


class NodeFileError(Exception):
    """A node file exists but cannot be read as what it should be."""


def credential_path(data_dir: Path) -> Path:
    return data_dir / CREDENTIAL_FILE


def highwater_path(data_dir: Path) -> Path:
    return data_dir / HIGHWATER_FILE


def write_atomically(path: Path, text: str, mode: int = 0o600) -> None:
    tmp = path.with_name(f".{path.name}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, mode)
    try:
        if hasattr(os, "fchmod"):  # POSIX; on Windows the per-user data folder is the owner's already
            os.fchmod(fd, mode)
        os.write(fd, text.encode("utf-8"))
        os.fsync(fd)
    finally:
        os.close(fd)
    os.replace(tmp, path)
    try:
        folder = os.open(path.parent, os.O_RDONLY)
    except OSError:  # Windows cannot open a folder; its rename is durable enough with the file's fsync
        return
    try:
        os.fsync(folder)
    finally:
        os.close(folder)


def _read_json(path: Path) -> dict[str, Any] | None:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    try:
        value = json.loads(text)
    except ValueError as error:
        raise NodeFileError(f"{path} is not valid JSON ({error})") from None
    if not isinstance(value, dict):
        raise NodeFileError(f"{path} does not hold a JSON object")
    return value


@dataclass(frozen=True)
class Credential:
    """What enrolment gave this node (the secret stays here, never in the database)."""

    node_id: str
    secret: str  # base64 of 32 bytes, as head office sent it
    hq_url: str
    branch_code: str
    terminal_code: str
    incarnation: int
    role: str
    previous_node_id: str | None
    enrolled_at: str


def read_credential(data_dir: Path) -> Credential | None:
    value = _read_json(credential_path(data_dir))
    if value is None:
        return None
    try:
        return Credential(**{name: value[name] for name in Credential.__dataclass_fields__})
    except KeyError as error:
        raise NodeFileError(f"{credential_path(data_dir)} lacks {error}") from None


def write_credential(data_dir: Path, credential: Credential) -> None:
    write_atomically(credential_path(data_dir), json.dumps(asdict(credential), indent=1), 0o600)


@dataclass(frozen=True)
class HighWater:
    """The last receipt seq this node issued, per (terminal, incarnation, fiscal year)."""

    node_id: str
    seqs: dict[str, int]  # "T03/1/2026" -> 488

    @staticmethod
    def key(terminal_code: str, incarnation: int, fiscal_year: int) -> str:
        return f"{terminal_code}/{incarnation}/{fiscal_year}"


def read_highwater(data_dir: Path) -> HighWater | None:
    value = _read_json(highwater_path(data_dir))
    if value is None:
        return None
    seqs = value.get("seqs")
    if not isinstance(value.get("node_id"), str) or not isinstance(seqs, dict):
        raise NodeFileError(f"{highwater_path(data_dir)} lacks node_id or seqs")
    return HighWater(value["node_id"], {str(k): int(v) for k, v in seqs.items()})


def write_highwater(data_dir: Path, mark: HighWater) -> None:
    write_atomically(highwater_path(data_dir), json.dumps({"node_id": mark.node_id, "seqs": mark.seqs}), 0o600)


def record_receipt_seq(data_dir: Path, node_id: str, key: str, seq: int) -> None:
    """After a payment's COMMIT: remember its seq (never lowering the mark)."""
    current = read_highwater(data_dir)
    seqs = dict(current.seqs) if current is not None and current.node_id == node_id else {}
    if seqs.get(key, 0) >= seq:
        return
    seqs[key] = seq
    write_highwater(data_dir, HighWater(node_id, seqs))
