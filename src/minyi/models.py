"""Import every slice's tables so that Base.metadata (and Alembic) knows them all."""

from minyi.accountability import grounds as _accountability_grounds  # noqa: F401 - the other grounds open records
from minyi.accountability import ladder as _accountability_ladder  # noqa: F401 - the 通报/问责 rung opens records
from minyi.accountability.models import AccountabilityEvidence, AccountabilityRecord
from minyi.accounts.models import ApiToken, User
from minyi.alerts.models import CaseGroup
from minyi.attachments.models import Attachment
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
from minyi.consultation import vote_chain as _vote_chain  # noqa: F401 - registers the vote record's verifier
from minyi.consultation.models import (
    Clause,
    Comment,
    CommentGroup,
    CommentReaction,
    Consultation,
    OpinionMap,
    Participant,
    Statement,
    Vote,
)
from minyi.db import Base
from minyi.deadlines.models import CalendarDay, DeadlinePolicyRow, EscalationNotice
from minyi.departments.models import Department, Region, RoutingRule
from minyi.evaluation.models import EvaluationPeriod, EvaluationRating
from minyi.inspection import ladder as _ladder  # noqa: F401 - registers the rectification ladder on the sweep
from minyi.inspection.models import (
    InspectionRound,
    ProblemClue,
    RectificationItem,
    RectificationProgress,
    RoundMember,
    RoundSubmission,
)
from minyi.media.models import MediaCandidate, MediaFeed
from minyi.notifications import other_events as _other_events  # noqa: F401 - suggestions, consultations, alerts
from minyi.notifications import outbox as _outbox  # noqa: F401 - registers the outbox on case events
from minyi.notifications import supervision_events as _supervision_events  # noqa: F401 - rectification, reports
from minyi.notifications.models import Notification, StaffContact, Subscription
from minyi.opendata.models import Open311Client
from minyi.organisations import suggestion_opinions as _sg_opinions  # noqa: F401 - opinions on 答复公开
from minyi.organisations.models import ExpertRequest, Organisation, OrganisationCase, OrganisationMember
from minyi.portal import rollup as _scoreboard_rollup  # noqa: F401 - the scoreboard's months, kept per write
from minyi.portal.models import ScoreboardCase, ScoreboardMonth
from minyi.ratelimit import sweep as _ratelimit_sweep  # noqa: F401 - expired rate counters removed by the sweep
from minyi.ratelimit.models import RateCounter
from minyi.regionmap.models import RegionShape
from minyi.reports.models import (
    MisconductReport,
    OfficeKeyRow,
    ReportMessage,
    ReportNotice,
    RetaliationFlag,
    UnsealRequest,
)
from minyi.suggestions.models import (
    ContactRecord,
    FollowUp,
    Proposer,
    Suggestion,
    SuggestionAnswer,
    SuggestionEvent,
    SuggestionNotice,
    SuggestionUnit,
)

__all__ = [
    "AccountabilityEvidence", "AccountabilityRecord", "AlertRow", "ApiToken", "Attachment", "AuditCheckpoint",
    "AuditEntry", "Base", "RateCounter", "CalendarDay", "Case", "CaseBand", "CaseEvent", "CaseGrant", "CaseGroup", "CaseLink",
    "CheckpointLeaf", "Clause", "ExpertRequest", "CoHandler", "Comment", "CommentGroup", "CommentReaction", "Consultation",
    "ContactRecord", "DeadlinePolicyRow", "Department", "EscalationNotice", "EvaluationPeriod", "EvaluationRating",
    "ExtensionRequest", "FollowUp", "IdempotencyKey", "InspectionRound", "MediaCandidate", "MediaFeed",
    "MisconductReport", "Notification", "OfficeKeyRow", "Open311Client", "OpinionMap", "Organisation",
    "OrganisationCase", "OrganisationMember", "Participant", "ProblemClue", "Proposer", "RectificationItem",
    "RectificationProgress", "Region", "RegionShape", "ReplyTemplateRow", "ReportMessage", "ReportNotice",
    "RetaliationFlag", "RoundMember", "RoundSubmission", "RoutingRule", "ScoreboardCase", "ScoreboardMonth",
    "StaffContact", "Statement", "Submitter",
    "Subscription", "Suggestion", "SuggestionAnswer", "SuggestionEvent", "SuggestionNotice", "SuggestionUnit",
    "UnsealRequest", "User", "Vote",
]  # fmt: skip
