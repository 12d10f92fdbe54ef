"""Inquiries and complaints under 首问负责: the clerk who first receives one logs it and owns
it until it is answered or handed over, with a note, to a colleague; a complaint may be linked
to the follow-up of a negative rating. Every step is an event row; nothing is deleted."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session, aliased

from counter_app.domain.errors import InvalidInput, NotAllowed
from counter_app.domain.workdays import WorkCalendar
from counter_app.persistence.database import unit_of_work
from counter_app.persistence.models import Inquiry, InquiryEvent, RatingFollowUp, Staff, Window
from counter_app.services.audit import audit
from counter_app.services.quality.context import MANAGER_ROLES, QualityContext, text_field
from counter_app.services.quality.views import InquiryEventView, InquiryView

KINDS = ("inquiry", "complaint")


class Inquiries:
    def __init__(self, ctx: QualityContext) -> None:
        self._ctx = ctx

    def log(self, kind: str, customer: str, contact: str, topic: str, text: str, clerk_id: str,
            window: int | None = None) -> InquiryView:
        if kind not in KINDS:
            raise InvalidInput("kind", "inquiry or complaint", code="one_of", choices="inquiry, complaint")
        fields = (text_field(customer, "customer", 100), text_field(contact, "contact", 50, required=False),
                  text_field(topic, "topic", 100), text_field(text, "text", 2000))
        with unit_of_work(self._ctx.sessions) as session:
            clerk = self._ctx.staff(session, clerk_id, "clerk_id")
            window_id = self._ctx.window(session, window).id if window is not None else None
            now = self._ctx.clock()
            item = Inquiry(node_id=self._ctx.node_id, kind=kind, customer=fields[0], contact=fields[1], topic=fields[2],
                           text=fields[3], owner_id=clerk.id, received_by_id=clerk.id, window_id=window_id,
                           status="open", created_at=now)
            self._ctx.publish(session, item, "inquiry.logged", {
                "kind": kind, "customer": item.customer, "contact": item.contact, "topic": item.topic,
                "text": item.text, "owner_id": clerk.id, "window_id": window_id, "created_at": now.isoformat()})
            self._event(session, item, "logged", "", clerk, None)
            return self._view(session, item, with_events=True)

    def hand_over(self, inquiry_id: str, from_staff_id: str, to_staff_id: str, note: str) -> InquiryView:
        """The owner (or a manager) passes the item on with a note; the colleague owns it now."""
        body = text_field(note, "note", 1000)
        with unit_of_work(self._ctx.sessions) as session:
            item, actor = self._owned(session, inquiry_id, from_staff_id)
            target = self._ctx.staff(session, to_staff_id, "to_staff_id")
            if target.id == item.owner_id:
                raise InvalidInput("to_staff_id", "a colleague other than the present owner", code="inquiry_colleague")
            item.owner_id = target.id
            self._ctx.publish(session, item, "inquiry.handed_over", {"owner_id": target.id})
            self._event(session, item, "handover", body, actor, target)
            return self._view(session, item, with_events=True)

    def answer(self, inquiry_id: str, staff_id: str, answer: str) -> InquiryView:
        """The owner (or a manager) records the answer given; the item is then closed."""
        body = text_field(answer, "answer", 1000)
        with unit_of_work(self._ctx.sessions) as session:
            item, actor = self._owned(session, inquiry_id, staff_id)
            now = self._ctx.clock()
            item.status, item.closed_at = "answered", now
            self._ctx.publish(session, item, "inquiry.answered", {"closed_at": now.isoformat()})
            self._event(session, item, "answer", body, actor, None)
            return self._view(session, item, with_events=True)

    def link_followup(self, inquiry_id: str, followup_id: str, staff_id: str) -> InquiryView:
        """Tie a complaint to the follow-up of the negative rating it is about."""
        with unit_of_work(self._ctx.sessions) as session:
            item = self._get(session, inquiry_id)
            actor = self._ctx.staff(session, staff_id)
            if item.kind != "complaint":
                raise NotAllowed("only a complaint is linked to a rating follow-up", code="inquiry_complaint_only")
            if item.owner_id != actor.id and actor.role not in MANAGER_ROLES:
                raise NotAllowed("only the owner or a manager may do this", code="inquiry_owner_only")
            if session.get(RatingFollowUp, followup_id) is None:
                raise InvalidInput("followup_id", "no such follow-up", code="followup_not_found")
            item.followup_id = followup_id
            self._ctx.publish(session, item, "inquiry.linked", {"followup_id": followup_id})
            self._event(session, item, "link", "", actor, None)
            return self._view(session, item, with_events=True)

    def open_items(self, owner_id: str | None = None) -> list[InquiryView]:
        """Open items, oldest first, with their age; only one owner's when ``owner_id`` is given."""
        with self._ctx.read() as session:
            query = select(Inquiry).where(Inquiry.status == "open").order_by(Inquiry.created_at)
            if owner_id is not None:
                query = query.where(Inquiry.owner_id == owner_id)
            calendar = self._ctx.calendar(session)
            return [self._view(session, item, calendar=calendar) for item in session.scalars(query)]

    def colleagues(self) -> list[tuple[str, str]]:
        """Whom an item may be handed over to: (staff id, "name staff_no") of active staff."""
        with self._ctx.read() as session:
            rows = session.execute(select(Staff.id, Staff.name, Staff.staff_no).where(Staff.disabled.is_(False))
                                   .order_by(Staff.staff_no))
            return [(staff_id, f"{name} {number}") for staff_id, name, number in rows]

    def get(self, inquiry_id: str) -> InquiryView:
        with self._ctx.read() as session:
            return self._view(session, self._get(session, inquiry_id), with_events=True)

    # --- helpers -----------------------------------------------------------------------------

    def _get(self, session: Session, inquiry_id: str) -> Inquiry:
        item = session.get(Inquiry, inquiry_id) if isinstance(inquiry_id, str) else None
        if item is None:
            raise InvalidInput("inquiry", "no such inquiry or complaint", code="inquiry_not_found")
        return item

    def _owned(self, session: Session, inquiry_id: str, staff_id: str) -> tuple[Inquiry, Staff]:
        item = self._get(session, inquiry_id)
        actor = self._ctx.staff(session, staff_id)
        if item.status != "open":
            raise NotAllowed("this item is already answered", code="inquiry_answered")
        if item.owner_id != actor.id and actor.role not in MANAGER_ROLES:
            raise NotAllowed("only its present owner or a manager may do this", code="inquiry_owner_only")
        return item, actor

    def _event(self, session: Session, item: Inquiry, kind: str, note: str, actor: Staff, target: Staff | None) -> None:
        event = InquiryEvent(node_id=self._ctx.node_id, inquiry_id=item.id, kind=kind, note=note,
                             from_staff_id=actor.id, to_staff_id=target.id if target else None,
                             at=self._ctx.clock(), data={})
        self._ctx.publish(session, event, "inquiry.event", {
            "inquiry_id": item.id, "kind": kind, "note": note, "from_staff_id": actor.id,
            "to_staff_id": event.to_staff_id, "at": event.at.isoformat()})
        audit(session, self._ctx.node_id, f"inquiry_{kind}", actor_id=actor.id, actor_label=actor.staff_no,
              entity="inquiry", entity_id=item.id)

    def _view(self, session: Session, item: Inquiry, with_events: bool = False,
              calendar: WorkCalendar | None = None) -> InquiryView:
        now = self._ctx.clock()
        names = dict(session.execute(select(Staff.id, Staff.name).where(
            Staff.id.in_({item.owner_id, item.received_by_id or item.owner_id}))).all())
        window = session.get(Window, item.window_id) if item.window_id else None
        due = (calendar or self._ctx.calendar(session)).add_working_days(
            self._ctx.today(item.created_at), self._ctx.policy.inquiry_answer_working_days)
        events: tuple[InquiryEventView, ...] = ()
        if with_events:
            source, target = aliased(Staff), aliased(Staff)
            rows = session.execute(
                select(InquiryEvent, source.name, target.name).join(source, source.id == InquiryEvent.from_staff_id)
                .outerjoin(target, target.id == InquiryEvent.to_staff_id)
                .where(InquiryEvent.inquiry_id == item.id).order_by(InquiryEvent.at)).all()
            events = tuple(InquiryEventView(e.kind, e.note, a, b or "", e.at) for e, a, b in rows)
        end = item.closed_at or now
        return InquiryView(
            item.id, item.kind, item.customer, item.contact, item.topic, item.text, item.owner_id,
            names.get(item.owner_id, ""), names.get(item.received_by_id or item.owner_id, ""),
            window.number if window else None, item.status, item.followup_id, item.created_at, item.closed_at,
            end - item.created_at, due, item.status == "open" and self._ctx.today(now) > due, events)
