"""Connection applications (报装) as rules: types as data, the document checklist, stage moves,
the stopped clock of 待补件, promised dates and the green / amber / red due state.

An application type is plain data (stored as JSON in reference data, editable by a manager):
the documents an applicant must bring, the stages with their working-day limits, and the fee
items of the 收费 stage. An application walks its type's stages in order: it never skips one and
goes back only with a recorded reason. While documents are missing it waits in 待补件 and its
clock is stopped; the working days it waited do not count against the hall.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any, Iterable, Mapping

from counter_app.domain.errors import InvalidInput, NotAllowed
from counter_app.domain.workdays import WorkCalendar

PERSON, COMPANY = "person", "company"
APPLICANT_KINDS = (PERSON, COMPANY)

RECEIVED, MISSING, NOT_APPLICABLE = "received", "missing", "not_applicable"
DOCUMENT_STATES = (RECEIVED, MISSING, NOT_APPLICABLE)

DRAFT, OPEN, WAITING_DOCS, DONE, WITHDRAWN = "draft", "open", "waiting_docs", "done", "withdrawn"
ACTIVE_STATUSES = (OPEN, WAITING_DOCS)

#: The stage vocabulary of the default types (a type may name its own stages too).
STANDARD_STAGES: dict[str, tuple[str, str]] = {
    "accept": ("受理", "Intake"),
    "survey": ("现场勘查", "Site survey"),
    "plan": ("方案答复", "Connection plan"),
    "charge": ("收费", "Fee payment"),
    "build": ("施工", "Construction"),
    "inspect": ("验收", "Inspection"),
    "connect": ("通水", "Water on"),
}
FIRST_STAGE = "accept"
CHARGE_STAGE = "charge"
MAX_STAGE_DAYS = 60

GREEN, AMBER, RED, STOPPED, FINISHED, NO_DUE = "green", "amber", "red", "stopped", "done", "none"

_CODE = re.compile(r"[a-z][a-z0-9_]{0,29}")


@dataclass(frozen=True)
class DocumentRequirement:
    code: str
    name_zh: str
    name_en: str
    applies_to: tuple[str, ...] = APPLICANT_KINDS
    required: bool = True  # False: only in some cases (an agent, a meter of DN80 or more), may be 不适用


@dataclass(frozen=True)
class StageDefinition:
    code: str
    name_zh: str
    name_en: str
    limit_days: int  # working days allowed for this stage
    next_step_zh: str = ""  # what the customer should do (or expect) while the application is here
    next_step_en: str = ""


@dataclass(frozen=True)
class FeeItem:
    """One charge of the 收费 stage; paid through fee collection, never here."""

    code: str
    name_zh: str
    name_en: str
    amount_fen: int


@dataclass(frozen=True)
class ApplicationTypeDefinition:
    code: str
    name_zh: str
    name_en: str
    documents: tuple[DocumentRequirement, ...]
    stages: tuple[StageDefinition, ...]
    fee_items: tuple[FeeItem, ...] = ()
    size_label_zh: str = "表径/容量"
    size_label_en: str = "Meter size / capacity"
    needs_account: bool = False  # an existing account (户号) must be named: renovation, move, transfer
    needs_size: bool = False  # a meter size or capacity must be asked for: new connection, capacity change

    def __post_init__(self) -> None:
        validate_definition(self)

    @classmethod
    def from_dict(cls, code: str, name_zh: str, name_en: str, data: Mapping[str, Any]) -> "ApplicationTypeDefinition":
        """Read the JSON ``definition`` of a type; malformed data names the key at fault."""
        try:
            return cls(
                code=code, name_zh=name_zh, name_en=name_en,
                documents=tuple(DocumentRequirement(d["code"], d["name_zh"], d["name_en"],
                                                    tuple(d.get("applies_to", APPLICANT_KINDS)), bool(d.get("required", True)))
                                for d in data.get("documents", ())),
                stages=tuple(StageDefinition(s["code"], s["name_zh"], s["name_en"], s["limit_days"],
                                             s.get("next_step_zh", ""), s.get("next_step_en", ""))
                             for s in data.get("stages", ())),
                fee_items=tuple(FeeItem(f["code"], f["name_zh"], f["name_en"], f["amount_fen"]) for f in data.get("fee_items", ())),
                size_label_zh=data.get("size_label_zh", "表径/容量"),
                size_label_en=data.get("size_label_en", "Meter size / capacity"),
                needs_account=bool(data.get("needs_account", False)),
                needs_size=bool(data.get("needs_size", False)),
            )
        except (KeyError, TypeError) as error:
            raise InvalidInput(f"application_type.{code}", f"definition is missing or mistypes {error}", code="type_definition_bad", error=error) from None

    def to_dict(self) -> dict[str, Any]:
        return {
            "documents": [{"code": d.code, "name_zh": d.name_zh, "name_en": d.name_en,
                           "applies_to": list(d.applies_to), "required": d.required} for d in self.documents],
            "stages": [{"code": s.code, "name_zh": s.name_zh, "name_en": s.name_en, "limit_days": s.limit_days,
                        "next_step_zh": s.next_step_zh, "next_step_en": s.next_step_en} for s in self.stages],
            "fee_items": [{"code": f.code, "name_zh": f.name_zh, "name_en": f.name_en, "amount_fen": f.amount_fen}
                          for f in self.fee_items],
            "size_label_zh": self.size_label_zh,
            "size_label_en": self.size_label_en,
            "needs_account": self.needs_account,
            "needs_size": self.needs_size,
        }

    @property
    def stage_codes(self) -> tuple[str, ...]:
        return tuple(s.code for s in self.stages)

    def stage(self, code: str) -> StageDefinition:
        for stage in self.stages:
            if stage.code == code:
                return stage
        raise InvalidInput("stage", f"'{code}' is not a stage of {self.name_zh}", code="stage_unknown", stage=code, type=self.name_zh)

    def stage_index(self, code: str) -> int:
        return self.stage_codes.index(self.stage(code).code)

    def documents_for(self, kind: str) -> tuple[DocumentRequirement, ...]:
        if kind not in APPLICANT_KINDS:
            raise InvalidInput("applicant_kind", "the applicant is a person or a company", code="person_or_company")
        return tuple(d for d in self.documents if kind in d.applies_to)

    @property
    def fee_total_fen(self) -> int:
        return sum(f.amount_fen for f in self.fee_items)


def validate_definition(definition: ApplicationTypeDefinition) -> None:
    """The rules a manager's edit of a type must keep."""
    where = f"application_type.{definition.code}"
    if not definition.name_zh.strip():
        raise InvalidInput(where, "a type needs a Chinese name", code="type_name_needed")
    if not definition.stages:
        raise InvalidInput(where, "a type needs at least one stage", code="type_stage_needed")
    if definition.stages[0].code != FIRST_STAGE:
        raise InvalidInput(where, f"the first stage must be '{FIRST_STAGE}' (受理)", code="type_first_stage", stage=FIRST_STAGE)
    for group, codes in (("stage", [s.code for s in definition.stages]), ("document", [d.code for d in definition.documents]),
                         ("fee item", [f.code for f in definition.fee_items])):
        for code in codes:
            if not _CODE.fullmatch(code):
                raise InvalidInput(where, f"{group} code '{code}' must be lower-case letters, digits or _", code="type_code_form", group=group, value=code)
        if len(set(codes)) != len(codes):
            raise InvalidInput(where, f"{group} codes must be unique", code="type_codes_unique", group=group)
    for stage in definition.stages:
        if isinstance(stage.limit_days, bool) or not isinstance(stage.limit_days, int) or not 0 <= stage.limit_days <= MAX_STAGE_DAYS:
            raise InvalidInput(where, f"stage '{stage.code}': limit is a whole number of working days from 0 to {MAX_STAGE_DAYS}", code="type_stage_limit", stage=stage.code, max=MAX_STAGE_DAYS)
    for document in definition.documents:
        if not document.applies_to or any(kind not in APPLICANT_KINDS for kind in document.applies_to):
            raise InvalidInput(where, f"document '{document.code}' applies to person and/or company", code="type_document_applies", document=document.code)
    for fee in definition.fee_items:
        if isinstance(fee.amount_fen, bool) or not isinstance(fee.amount_fen, int) or fee.amount_fen < 0:
            raise InvalidInput(where, f"fee item '{fee.code}': amount is a whole number of fen, not negative", code="type_fee_amount", fee=fee.code)
    if bool(definition.fee_items) != (CHARGE_STAGE in definition.stage_codes):
        raise InvalidInput(where, "fee items and a '收费' (charge) stage go together", code="type_fee_stage")


# ---- documents ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class Checklist:
    received: tuple[DocumentRequirement, ...]
    missing: tuple[DocumentRequirement, ...]
    not_applicable: tuple[DocumentRequirement, ...]

    @property
    def complete(self) -> bool:
        return not self.missing


def check_documents(definition: ApplicationTypeDefinition, kind: str, states: Mapping[str, str]) -> Checklist:
    """Sort the applicant's documents into received / missing / not applicable.

    Every document of the applicant's kind must be ticked; a required one cannot be 不适用."""
    wanted = definition.documents_for(kind)
    known = {d.code for d in wanted}
    for code in states:
        if code not in known:
            raise InvalidInput(f"documents.{code}", f"not a document of {definition.name_zh} for this applicant", code="document_not_of_type", type=definition.name_zh)
    sorted_docs: dict[str, list[DocumentRequirement]] = {RECEIVED: [], MISSING: [], NOT_APPLICABLE: []}
    for document in wanted:
        state = states.get(document.code)
        if state not in DOCUMENT_STATES:
            raise InvalidInput(f"documents.{document.code}", "tick received, missing or not applicable", code="document_tick")
        if state == NOT_APPLICABLE and document.required:
            raise InvalidInput(f"documents.{document.code}", "a required document cannot be not applicable", code="document_required")
        sorted_docs[state].append(document)
    return Checklist(tuple(sorted_docs[RECEIVED]), tuple(sorted_docs[MISSING]), tuple(sorted_docs[NOT_APPLICABLE]))


# ---- stages ------------------------------------------------------------------------------------

def next_stage(definition: ApplicationTypeDefinition, current: str) -> str | None:
    """The stage after ``current``, or None when ``current`` is the last one."""
    index = definition.stage_index(current)
    return definition.stage_codes[index + 1] if index + 1 < len(definition.stages) else None


def check_can_work(status: str) -> None:
    if status == WAITING_DOCS:
        raise NotAllowed("documents are missing: the clock is stopped until they are handed in", code="application_clock_stopped")
    if status == DONE:
        raise NotAllowed("the application is finished", code="application_finished")
    if status == WITHDRAWN:
        raise NotAllowed("the application was withdrawn", code="application_withdrawn")
    if status != OPEN:
        raise NotAllowed(f"an application in status '{status}' cannot move", code="application_cannot_move", status=status)


def check_move(definition: ApplicationTypeDefinition, status: str, current: str, target: str | None,
               *, result: str = "", reason: str = "") -> str:
    """Whether moving ``current`` -> ``target`` is allowed; returns ``forward``, ``finish`` or ``back``.

    ``target`` None means finishing the last stage. Forward moves go to the very next stage and
    carry the stage's result; moves back need a reason. Skipping a stage is refused."""
    check_can_work(status)
    here = definition.stage_index(current)
    if target is None or definition.stage_index(target) > here:
        expected = next_stage(definition, current)
        if target != expected:
            name = definition.stage(expected).name_zh if expected else ""
            raise NotAllowed(f"stages cannot be skipped: the next stage is {name or 'the end'}", code="stage_skip", stage=name or "")
        if not result.strip():
            raise InvalidInput("result", "record the result of the stage before moving on", code="stage_result_needed")
        return "finish" if target is None else "forward"
    if definition.stage_index(target) == here:
        raise NotAllowed(f"the application is already at {definition.stage(current).name_zh}", code="stage_already_there", stage=definition.stage(current).name_zh)
    if not reason.strip():
        raise InvalidInput("reason", "going back to an earlier stage needs a reason", code="back_needs_reason")
    return "back"


# ---- clock and dates ---------------------------------------------------------------------------

@dataclass(frozen=True)
class PromisedStage:
    code: str
    name_zh: str
    name_en: str
    limit_days: int
    due: date


def promised_schedule(definition: ApplicationTypeDefinition, calendar: WorkCalendar, start: date,
                      from_stage: str | None = None) -> tuple[PromisedStage, ...]:
    """Each stage's promised date, one after the other, counted in working days from ``start``."""
    first = definition.stage_index(from_stage) if from_stage else 0
    schedule, day = [], start
    for stage in definition.stages[first:]:
        day = calendar.add_working_days(day, stage.limit_days)
        schedule.append(PromisedStage(stage.code, stage.name_zh, stage.name_en, stage.limit_days, day))
    return tuple(schedule)


def stage_due(calendar: WorkCalendar, definition: ApplicationTypeDefinition, stage: str, entered_on: date) -> date:
    return calendar.add_working_days(entered_on, definition.stage(stage).limit_days)


def resumed_due(calendar: WorkCalendar, due: date, stopped_since: date, resumed_on: date) -> date:
    """The stage's due date after the clock stood still from ``stopped_since`` to ``resumed_on``."""
    paused = calendar.working_days_between(stopped_since, resumed_on)
    return calendar.add_working_days(due, paused) if paused > 0 else due


def stopped_working_days(calendar: WorkCalendar, stopped_since: date, resumed_on: date) -> int:
    return max(calendar.working_days_between(stopped_since, resumed_on), 0)


def elapsed_working_days(calendar: WorkCalendar, accepted_on: date, today: date, *, stopped_days: int = 0,
                         stopped_since: date | None = None, finished_on: date | None = None) -> int:
    """Working days the hall has spent on an application: since acceptance, less the days its
    clock was stopped for missing documents (and the current stop, if any)."""
    end = finished_on or today
    spent = calendar.working_days_between(accepted_on, end) - stopped_days
    if stopped_since is not None and finished_on is None:
        spent -= max(calendar.working_days_between(stopped_since, end), 0)
    return max(spent, 0)


def due_state(calendar: WorkCalendar, due: date | None, today: date, status: str) -> str:
    """green, amber (due today or on the next working day), red (overdue), stopped (待补件),
    done, or none (no due date)."""
    if status == DONE:
        return FINISHED
    if status == WAITING_DOCS:
        return STOPPED
    if due is None:
        return NO_DUE
    if today > due:
        return RED
    return AMBER if calendar.working_days_between(today, due) <= 1 else GREEN


# ---- numbers and next steps --------------------------------------------------------------------

APPLICATION_PREFIX = "BZ"
_NUMBER = re.compile(rf"{APPLICATION_PREFIX}-([A-Z0-9]+)-([A-Z0-9]+)-(\d{{8}})-(\d{{4,}})")


def application_number(branch_code: str, terminal_code: str, day: date, seq: int) -> str:
    """``BZ-<branch>-<terminal>-<yyyymmdd>-<seq>``: unique per node without asking the hub."""
    if seq < 1:
        raise ValueError("sequence numbers start at 1")
    return f"{APPLICATION_PREFIX}-{branch_code}-{terminal_code}-{day:%Y%m%d}-{seq:04d}"


def number_prefix(branch_code: str, terminal_code: str, day: date) -> str:
    return f"{APPLICATION_PREFIX}-{branch_code}-{terminal_code}-{day:%Y%m%d}-"


def is_application_number(text: str) -> bool:
    return bool(_NUMBER.fullmatch(text.strip().upper()))


@dataclass(frozen=True)
class NextStep:
    text_zh: str
    text_en: str


def next_step(definition: ApplicationTypeDefinition, status: str, stage: str,
              missing: Iterable[DocumentRequirement] = ()) -> NextStep:
    """What the customer should do now, as the clerk reads it out."""
    if status == WAITING_DOCS:
        names = list(missing)
        return NextStep("请携带以下资料到任一窗口补交：" + "、".join(d.name_zh for d in names),
                        "Bring these documents to any window: " + ", ".join(d.name_en for d in names))
    if status == DONE:
        return NextStep("已办结，无需再办理。", "Finished: nothing more to do.")
    if status == WITHDRAWN:
        return NextStep("申请已撤回。", "The application was withdrawn.")
    current = definition.stage(stage)
    return NextStep(current.next_step_zh or f"{current.name_zh}办理中，请保持电话畅通。",
                    current.next_step_en or f"{current.name_en} in progress; keep your phone on.")
