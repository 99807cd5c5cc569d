"""Import every slice's tables so that Base.metadata (and Alembic) knows them all."""

from minyi.accounts.models import ApiToken, User
from minyi.audit.models import AuditCheckpoint, AuditEntry, CheckpointLeaf
from minyi.cases.models import (
    AlertRow,
    Case,
    CaseBand,
    CaseEvent,
    CaseGrant,
    CaseLink,
    CoHandler,
    ExtensionRequest,
    IdempotencyKey,
    ReplyTemplateRow,
    Submitter,
)
from minyi.db import Base
from minyi.deadlines.models import CalendarDay, DeadlinePolicyRow, EscalationNotice
from minyi.departments.models import Department, Region, RoutingRule
from minyi.notifications.models import Notification, StaffContact
from minyi.regionmap.models import RegionShape
from minyi.reports.models import (
    MisconductReport,
    OfficeKeyRow,
    ReportMessage,
    RetaliationFlag,
    UnsealRequest,
)

__all__ = [
    "AlertRow", "ApiToken", "AuditCheckpoint", "AuditEntry", "Base", "CalendarDay", "Case", "CaseBand", "CaseEvent", "CaseGrant", "CaseLink", "CheckpointLeaf", "CoHandler",
    "DeadlinePolicyRow", "Department", "EscalationNotice", "ExtensionRequest", "IdempotencyKey", "Notification", "Region", "RegionShape", "ReplyTemplateRow",
    "RoutingRule", "StaffContact", "Submitter", "User",
    "MisconductReport", "OfficeKeyRow", "ReportMessage", "RetaliationFlag", "UnsealRequest",
]  # fmt: skip
