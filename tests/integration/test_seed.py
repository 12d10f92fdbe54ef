from sqlalchemy import func, select

from counter_app.domain.tariff import TariffDefinition, compute_bill
from counter_app.persistence.database import unit_of_work
from counter_app.persistence.models import Bill, CustomerAccount, Service, Staff, TariffVersion, Ticket, TicketEvent, Window
from counter_app.services.seed import seed_history
from tests.conftest import SMALL_SEED_ACCOUNTS


def count(session, model) -> int:  # type: ignore[no-untyped-def]
    return session.scalar(select(func.count()).select_from(model))


def test_demo_branch_looks_like_a_real_one(seeded_db) -> None:
    with unit_of_work(seeded_db.sessions) as session:
        assert count(session, Window) == 8
        assert count(session, Staff) == 12
        assert sorted(session.execute(select(Service.letter, Service.name_zh)).all()) == [
            ("A", "缴费"), ("B", "报装"), ("C", "咨询"), ("D", "过户更名")]
        assert count(session, CustomerAccount) == SMALL_SEED_ACCOUNTS
        assert count(session, Bill) == SMALL_SEED_ACCOUNTS * 12
        assert {t.user_type for t in session.scalars(select(TariffVersion))} == {"residential", "non_residential"}
        assert session.scalar(select(func.count()).select_from(Bill).where(Bill.status == "open")) > 0


def test_every_bill_is_what_its_tariff_computes(seeded_db) -> None:
    with unit_of_work(seeded_db.sessions) as session:
        tariffs = {t.id: TariffDefinition.from_dict(t.definition) for t in session.scalars(select(TariffVersion))}
        bills = session.scalars(select(Bill).order_by(Bill.account_id, Bill.period)).all()
        used: dict[tuple[str, str], int] = {}
        for bill in bills:
            tariff = tariffs[bill.tariff_version_id]
            key = (bill.account_id, bill.period[:4])
            before = used.get(key, 0) if tariff.period == "annual" else 0
            assert compute_bill(tariff, bill.usage_m3, before).total_fen == bill.amount_fen
            assert bill.detail["total_fen"] == bill.amount_fen
            assert bill.curr_reading - bill.prev_reading == bill.usage_m3
            used[key] = used.get(key, 0) + bill.usage_m3


def test_history_for_statistics(seeded_db) -> None:
    assert seed_history(seeded_db, days=3, tickets_per_day=50) == 150
    with unit_of_work(seeded_db.sessions) as session:
        assert count(session, Ticket) == 150
        assert count(session, TicketEvent) >= 150 * 3
        numbers = session.execute(select(Ticket.business_date, Ticket.number)).all()
        assert len(set(numbers)) == len(numbers)
