"""All tables, importable from one place so Alembic and the tests see the whole schema."""

from counter_app.persistence.models.applications import (
    Application,
    ApplicationAttachment,
    ApplicationDocument,
    ApplicationDraft,
    ApplicationStageEvent,
    ApplicationType,
    Holiday,
)
from counter_app.persistence.models.base import Base, Reference, Replicated
from counter_app.persistence.models.devices import HubDevice, HubStaffSession
from counter_app.persistence.models.hubapplications import HubApplication, HubApplicationAction, HubReportCursor
from counter_app.persistence.models.hubbills import BillReport, HubBillIncident, HubBillPayment
from counter_app.persistence.models.billing import (
    Bill,
    CustomerAccount,
    DailySettlement,
    Meter,
    Payment,
    PaymentAllocation,
    PaymentPart,
    Receipt,
    ReceiptPrint,
    ReceiptSequence,
    TariffVersion,
)
from counter_app.persistence.models.org import Branch, NodeIdentity, Service, Staff, Window, WindowService
from counter_app.persistence.models.quality import Inquiry, InquiryEvent, Rating, RatingFollowUp, RatingFollowUpStep
from counter_app.persistence.models.stats import StatsDay, StatsSegment, StatsTicket
from counter_app.persistence.models.queue import Ticket, TicketEvent, WindowState
from counter_app.persistence.models.walkins import TicketFinishedHere, WalkInService
from counter_app.persistence.models.sync import (AuditLog, OutboxAck, OutboxEvent, RefGuard, RefPolicy, RefSnapshot,
                                                RefStage, SyncCursor, SyncState)

REPLICATED_MODELS = tuple(
    mapper.class_ for mapper in Base.registry.mappers if issubclass(mapper.class_, Replicated)
)

__all__ = [
    "Application", "ApplicationAttachment", "ApplicationDocument", "ApplicationDraft", "ApplicationStageEvent",
    "ApplicationType", "AuditLog", "Base", "Bill", "BillReport", "Branch", "CustomerAccount", "DailySettlement",
    "Holiday", "HubApplication", "HubApplicationAction", "HubBillIncident", "HubBillPayment", "HubDevice", "HubReportCursor", "HubStaffSession", "Inquiry", "InquiryEvent", "Meter", "NodeIdentity", "OutboxAck", "OutboxEvent", "Payment",
    "PaymentAllocation", "PaymentPart", "Rating", "RatingFollowUp", "RatingFollowUpStep", "Receipt",
    "ReceiptPrint", "ReceiptSequence", "RefGuard", "RefPolicy", "RefSnapshot", "RefStage", "Reference", "Replicated",
    "REPLICATED_MODELS", "Service",
    "Staff", "StatsDay", "StatsSegment", "StatsTicket", "SyncCursor", "SyncState", "TariffVersion", "Ticket", "TicketEvent", "TicketFinishedHere", "WalkInService", "Window",
    "WindowService", "WindowState",
]
