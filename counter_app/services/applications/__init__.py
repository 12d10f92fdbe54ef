"""One-stop connection applications (一站式报装): intake, documents told once, stages with
working-day limits, lookups at any window, and the printed slip and status sheet."""

from counter_app.services.applications.branch_desk import ApplicationDesk, ApplicationReporter, BranchLookup
from counter_app.services.applications.forms import AttachmentRef, IntakeForm
from counter_app.services.applications.intake import Accepted, DraftInfo
from counter_app.services.applications.queries import ApplicationDetail, FeeDue, LookupHit, WorkItem, WorkList
from counter_app.services.applications.reference import TypeInfo, seed_application_reference
from counter_app.services.applications.service import ApplicationService
from counter_app.services.applications.workflow import StageChange

__all__ = [
    "Accepted", "ApplicationDesk", "ApplicationDetail", "ApplicationReporter", "ApplicationService", "BranchLookup", "AttachmentRef", "DraftInfo", "FeeDue", "IntakeForm",
    "LookupHit", "StageChange", "TypeInfo", "WorkItem", "WorkList", "seed_application_reference",
]
