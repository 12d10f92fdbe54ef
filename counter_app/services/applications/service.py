"""One entry point for the front-ends: every method is one unit of work returning plain data."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Callable, Iterable, TypeVar

from counter_app.core.paths import DataPaths
from counter_app.domain.applications import STANDARD_STAGES, ApplicationTypeDefinition
from counter_app.domain.timeutil import utcnow
from counter_app.domain.errors import InvalidInput
from counter_app.domain.workdays import WorkCalendar
from counter_app.persistence.database import unit_of_work
from counter_app.services.applications import intake, printing, queries, reference, workflow
from counter_app.services.applications.branch_desk import (
    ApplicationReporter, BranchLookup, Forwarded, detail_anywhere, lookup_anywhere,
)
from counter_app.services.applications.context import (
    TYPE_EDITOR_ROLES, ApplicationContext, require_role, store_attachment,
)
from counter_app.services.applications.forms import AttachmentRef, IntakeForm
from counter_app.services.audit import audit
from counter_app.services.auth import StaffSession
from counter_app.services.node import NodeDatabase

T = TypeVar("T")


class ApplicationService:
    """Connection applications at this node: intake, stages, lookups, printed papers."""

    def __init__(self, db: NodeDatabase, paths: DataPaths | None = None, clock: Callable[[], datetime] = utcnow) -> None:
        self.ctx = ApplicationContext(db, paths or DataPaths(db.path.parent), clock)
        self.reporter: ApplicationReporter | None = None  # a counter with its own database: the hub's copy

    def report_to(self, reporter: ApplicationReporter) -> "ApplicationService":
        """Tell the hub of every change (in the background) and look up other windows' there."""
        self.reporter = reporter
        return self

    def _changed(self, result: T) -> T:
        if self.reporter is not None:
            self.reporter.kick()
        return result

    # reference data
    def types(self, *, active_only: bool = True) -> list[reference.TypeInfo]:
        with unit_of_work(self.ctx.db.sessions) as session:
            return reference.load_types(session, active_only=active_only)

    def calendar(self) -> WorkCalendar:
        with unit_of_work(self.ctx.db.sessions) as session:
            return reference.load_calendar(session)

    def stage_choices(self) -> list[tuple[str, str, str]]:
        """Every stage of the active types, in workflow order, for the back office's filter."""
        seen: dict[str, tuple[str, str, str]] = {code: (code, zh, en) for code, (zh, en) in STANDARD_STAGES.items()}
        for info in self.types():
            for stage in info.definition.stages:
                seen.setdefault(stage.code, (stage.code, stage.name_zh, stage.name_en))
        return list(seen.values())

    def update_type(self, definition: ApplicationTypeDefinition, who: StaffSession, *, active: bool = True) -> None:
        """A manager changes a type; applications already accepted keep their old definition."""
        require_role(who, TYPE_EDITOR_ROLES, "changing application types")
        with unit_of_work(self.ctx.db.sessions) as session:
            row = reference.store_definition(session, definition, active=active)
            audit(session, self.ctx.db.node_id, "application_type_changed", actor_id=who.staff_id, actor_label=who.staff_no,
                  window=who.window, entity="application_type", entity_id=row.id, code=definition.code, active=active)

    # intake
    def store_attachment(self, source: Path) -> AttachmentRef:
        return store_attachment(self.ctx.paths, source)

    def save_draft(self, form: IntakeForm, who: StaffSession, draft_id: str | None = None) -> intake.DraftInfo:
        return intake.save_draft(self.ctx, form, who, draft_id)

    def list_drafts(self, who: StaffSession) -> list[intake.DraftInfo]:
        return intake.list_drafts(self.ctx, who)

    def load_draft(self, draft_id: str, who: StaffSession) -> IntakeForm:
        return intake.load_draft(self.ctx, draft_id, who)

    def discard_draft(self, draft_id: str, who: StaffSession) -> None:
        intake.discard_draft(self.ctx, draft_id, who)

    def submit(self, form: IntakeForm, who: StaffSession, *, draft_id: str | None = None,
               ticket_id: str | None = None) -> intake.Accepted:
        return self._changed(intake.submit(self.ctx, form, who, draft_id=draft_id, ticket_id=ticket_id))

    # stages
    def record_result(self, number: str, who: StaffSession, result: str, *, passed: bool = True) -> workflow.StageChange:
        return self._changed(workflow.record_result(self.ctx, number, who, result, passed=passed))

    def send_back(self, number: str, who: StaffSession, target: str, reason: str) -> workflow.StageChange:
        return self._changed(workflow.send_back(self.ctx, number, who, target, reason))

    def hand_in_documents(self, number: str, who: StaffSession, codes: Iterable[str],
                          attachments: Iterable[AttachmentRef] = ()) -> workflow.StageChange:
        return self._changed(workflow.hand_in_documents(self.ctx, number, who, codes, attachments))

    def request_documents(self, number: str, who: StaffSession, codes: Iterable[str], reason: str) -> workflow.StageChange:
        return self._changed(workflow.request_documents(self.ctx, number, who, codes, reason))

    def attach(self, number: str, who: StaffSession, attachments: Iterable[AttachmentRef]) -> workflow.StageChange:
        return self._changed(workflow.attach(self.ctx, number, who, attachments))

    # for the fee collection flow (services/billing): what to charge, and the stage to close once paid
    def fee_due(self, number: str) -> queries.FeeDue:
        return queries.fee_due(self.ctx, number)

    def record_fee_paid(self, number: str, who: StaffSession, receipt_no: str) -> workflow.StageChange:
        return self._changed(workflow.record_fee_paid(self.ctx, number, who, receipt_no))

    # reading
    def work_list(self, stage: str | None = None, *, late_only: bool = False,
                  window: int | None = None) -> queries.WorkList:
        return queries.work_list(self.ctx, stage, late_only=late_only, window=window)

    def lookup(self, text: str) -> list[queries.LookupHit]:
        return queries.lookup(self.ctx, text)

    def detail(self, number: str) -> queries.ApplicationDetail:
        return queries.detail(self.ctx, number)

    def lookup_anywhere(self, text: str) -> BranchLookup:
        """This window's applications, then (a counter with its own database) the other windows' at the hub."""
        return lookup_anywhere(self.ctx, self.reporter.desk if self.reporter else None, text)

    def detail_anywhere(self, number: str) -> queries.ApplicationDetail:
        return detail_anywhere(self.ctx, self.reporter.desk if self.reporter else None, number)

    def forward_hand_in(self, number: str, who: StaffSession, codes: Iterable[str]) -> Forwarded:
        """Documents handed in here for another window's application (shown from the hub's copy)."""
        if self.reporter is None:
            raise InvalidInput("number", "no application has this number", code="application_not_found")
        return self.reporter.desk.forward_hand_in(number, who, list(codes))

    # papers
    def print_acceptance_slip(self, number: str, folder: Path | None = None) -> Path:
        return printing.print_acceptance_slip(self.ctx, number, folder)

    def print_status_sheet(self, number: str, who: StaffSession, folder: Path | None = None) -> Path:
        return printing.print_status_sheet(self.ctx, number, who, folder)
