"""Follow-up of negative ratings (差评整改): opened by the rating itself with a working-day
deadline; the manager records verification (核实), corrective action (整改), the call-back to the
customer (回访), and closes it with the outcome once all three are there."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from counter_app.domain.errors import InvalidInput, NotAllowed
from counter_app.domain.ratings import FOLLOWUP_STEPS, RESOLUTIONS, is_overdue, missing_steps
from counter_app.persistence.database import unit_of_work
from counter_app.persistence.models import Rating, RatingFollowUp, RatingFollowUpStep, Staff, Window
from counter_app.services.audit import audit
from counter_app.services.quality.context import QualityContext, text_field
from counter_app.services.quality.ratings import rating_view
from counter_app.services.quality.views import FollowUpStepView, FollowUpView


class FollowUpIncomplete(NotAllowed):
    """Closing refused: ``missing`` names the steps not yet recorded."""

    def __init__(self, missing: tuple[str, ...]) -> None:
        super().__init__("record " + ", ".join(missing) + " before closing this follow-up",
                         code="followup_incomplete", missing=", ".join(missing))
        self.missing = missing


class FollowUps:
    def __init__(self, ctx: QualityContext) -> None:
        self._ctx = ctx

    def record(self, followup_id: str, step: str, text: str, staff_id: str) -> FollowUpView:
        """Add a verification, action or call-back record (each a new row; several are allowed)."""
        if step not in FOLLOWUP_STEPS:
            raise InvalidInput("step", "one of " + ", ".join(FOLLOWUP_STEPS), code="one_of", choices=", ".join(FOLLOWUP_STEPS))
        body = text_field(text, step, 1000)
        with unit_of_work(self._ctx.sessions) as session:
            manager = self._ctx.manager(session, staff_id)
            followup = self._open_followup(session, followup_id)
            self._add_step(session, followup, step, body, manager)
            audit(session, self._ctx.node_id, f"followup_{step}", actor_id=manager.id, actor_label=manager.staff_no,
                  entity="rating_followup", entity_id=followup.id)
            return self._view(session, followup)

    def close(self, followup_id: str, outcome: str, resolution: str, staff_id: str) -> FollowUpView:
        """Close with the outcome; refused with :class:`FollowUpIncomplete` until verification,
        action and call-back are all recorded."""
        if resolution not in RESOLUTIONS:
            raise InvalidInput("resolution", "one of " + ", ".join(RESOLUTIONS), code="one_of", choices=", ".join(RESOLUTIONS))
        body = text_field(outcome, "outcome", 1000)
        with unit_of_work(self._ctx.sessions) as session:
            manager = self._ctx.manager(session, staff_id)
            followup = self._open_followup(session, followup_id)
            missing = missing_steps(self._step_kinds(session, followup.id))
            if missing:
                raise FollowUpIncomplete(missing)
            now = self._ctx.clock()
            self._add_step(session, followup, "outcome", body, manager)
            followup.status, followup.closed_at, followup.resolution = "closed", now, resolution
            self._ctx.publish(session, followup, "rating_followup.closed",
                              {"closed_at": now.isoformat(), "resolution": resolution})
            audit(session, self._ctx.node_id, "followup_closed", actor_id=manager.id, actor_label=manager.staff_no,
                  entity="rating_followup", entity_id=followup.id, resolution=resolution)
            return self._view(session, followup)

    def get(self, followup_id: str) -> FollowUpView:
        with self._ctx.read() as session:
            followup = session.get(RatingFollowUp, followup_id) if isinstance(followup_id, str) else None
            if followup is None:
                raise InvalidInput("followup", "no such follow-up", code="followup_not_found")
            return self._view(session, followup)

    def listing(self, which: str = "open") -> list[FollowUpView]:
        """``open`` (nearest deadline first), ``overdue`` (still open after the deadline day),
        or ``all`` (newest first)."""
        if which not in ("open", "overdue", "all"):
            raise InvalidInput("which", "open, overdue or all", code="one_of", choices="open, overdue, all")
        today = self._ctx.today()
        with self._ctx.read() as session:
            query = select(RatingFollowUp)
            if which != "all":
                query = query.where(RatingFollowUp.status == "open").order_by(RatingFollowUp.deadline,
                                                                              RatingFollowUp.opened_at)
                if which == "overdue":
                    query = query.where(RatingFollowUp.deadline < today)
            else:
                query = query.order_by(RatingFollowUp.opened_at.desc())
            return [self._view(session, f) for f in session.scalars(query)]

    # --- helpers -----------------------------------------------------------------------------

    def _open_followup(self, session: Session, followup_id: str) -> RatingFollowUp:
        followup = session.get(RatingFollowUp, followup_id) if isinstance(followup_id, str) else None
        if followup is None:
            raise InvalidInput("followup", "no such follow-up", code="followup_not_found")
        if followup.status != "open":
            raise NotAllowed("this follow-up is closed", code="followup_closed")
        return followup

    def _add_step(self, session: Session, followup: RatingFollowUp, step: str, text: str, manager: Staff) -> None:
        row = RatingFollowUpStep(node_id=self._ctx.node_id, followup_id=followup.id, step=step, text=text,
                                 staff_id=manager.id, at=self._ctx.clock())
        self._ctx.publish(session, row, "rating_followup.step", {
            "followup_id": followup.id, "step": step, "text": text, "staff_id": manager.id, "at": row.at.isoformat()})

    def _step_kinds(self, session: Session, followup_id: str) -> list[str]:
        query = select(RatingFollowUpStep.step).where(RatingFollowUpStep.followup_id == followup_id)
        return list(session.scalars(query))

    def _view(self, session: Session, followup: RatingFollowUp) -> FollowUpView:
        rating = session.get(Rating, followup.rating_id)
        assert rating is not None
        window = session.get(Window, rating.window_id)
        clerk = session.get(Staff, rating.clerk_id)
        assert window is not None and clerk is not None
        rows = session.execute(
            select(RatingFollowUpStep, Staff.name).join(Staff, Staff.id == RatingFollowUpStep.staff_id)
            .where(RatingFollowUpStep.followup_id == followup.id).order_by(RatingFollowUpStep.at)).all()
        steps = tuple(FollowUpStepView(s.step, s.text, name, s.at) for s, name in rows)
        closed_on = self._ctx.today(followup.closed_at) if followup.closed_at else None
        return FollowUpView(
            followup.id, rating_view(rating, window.number, clerk), followup.opened_at, followup.deadline,
            followup.status, is_overdue(followup.deadline, self._ctx.today(), closed_on), steps,
            missing_steps(s.step for s in steps), followup.resolution, followup.closed_at)
