"""Reference data as head office would publish it, for the refdata tests and the benchmark."""

from __future__ import annotations

from typing import Any

from counter_app.domain.staff_rules import hash_password
from counter_app.hq.refdata import api
from counter_app.services.seed import RESIDENTIAL

TARIFF: dict[str, Any] = RESIDENTIAL

_HASHES: dict[str, str] = {}


def password_hash(password: str) -> str:
    if password not in _HASHES:
        _HASHES[password] = hash_password(password)
    return _HASHES[password]


def publish_branch(engine, branch: str = "B001") -> None:  # type: ignore[no-untyped-def]
    api.upsert_branch(engine, code=branch, name=f"营业厅 {branch}", utility_name="示范水务", by="test")
    api.upsert_service(engine, branch, code="payment", letter="A", name_zh="缴费", name_en="Payments", by="test")
    api.upsert_window(engine, branch, number=1, name="1号窗口", services=["payment"], by="test")


def account(no: str, **extra: Any) -> dict[str, Any]:
    return {"account_no": no, "holder": "张三", "address": "示范市城东区1号", "user_type": "residential", **extra}


def bill(no: str, period: str = "2026-10", amount: int = 4567, **extra: Any) -> dict[str, Any]:
    return {"account_no": no, "period": period, "meter_no": f"M{no}", "tariff_code": "RES",
            "tariff_valid_from": "2026-01-01", "period_start": f"{period}-01", "period_end": f"{period}-28",
            "prev_reading": 100, "curr_reading": 112, "usage_m3": 12, "amount_fen": amount,
            "due_date": f"{period}-28", **extra}
