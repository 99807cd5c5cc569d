"""Who may see what: every role set, the visibility rule and the contact rule, in one place. Pure.

The API, the pages, the exports, the aggregates and the search all ask these functions (the SQL filter in
`cases.queries.visible_filter` is built from the same sets), so a rule cannot drift between two copies.
"""

from __future__ import annotations

from dataclasses import dataclass

from minyi.accounts.actor import Actor
from minyi.accounts.roles import STAFF_ROLES, Role

# who registers, accepts and dispatches demands
DISPATCH = frozenset({Role.intake, Role.supervisor, Role.admin})
# the staff of a responsible department
DEPARTMENT = frozenset({Role.handler, Role.dept_head})
# who oversees: supervision notices, extensions, alerts, the board
OVERSIGHT = frozenset({Role.supervisor, Role.admin})
# who sees every department's cases (confidential ones still need clearance or a grant)
ALL_DEPARTMENTS = DISPATCH
# who may call a submitter back (the department only where the submitter did not choose anonymity)
CALL_BACK = DISPATCH
# who sees the learning loop (corrections, model versions) and rolls a model back
MODEL_ADMIN = frozenset({Role.admin})
# who may retrain and promote a model version (administrators, and the periodic job)
MODEL_TRAIN = frozenset({Role.admin, Role.system})
# who receives misconduct reports (举报): discipline inspectors only. Not administrators, not supervisors: a role,
# not a grant, so no one can give themselves access (an administrator cannot make an inspector: accounts refuse it)
DISCIPLINE = frozenset({Role.inspector})


@dataclass(frozen=True)
class CaseFacts:
    """What the access rules need to know about a case."""

    department_id: int | None
    co_handler_ids: frozenset[int] = frozenset()
    visibility: str = "public"
    anonymous: bool = False
    granted_user_ids: frozenset[int] = frozenset()


def is_staff(actor: Actor) -> bool:
    """Staff act through accounts; citizens and the system do not."""
    return actor.role in STAFF_ROLES


def same_department(actor: Actor, department_id: int | None) -> bool:
    """Whether the actor belongs to the department responsible for the case."""
    return actor.department_id is not None and actor.department_id == department_id


def needs_clearance(visibility: str) -> bool:
    """Confidential cases (misconduct reports, sealed matters) are seen only with clearance or a grant."""
    return visibility == "confidential"


# visibilities left out of the public group-demand figures (联名: group demands and their households, per
# department and per district); see `counts_in_group_figures`
SEALED_FROM_GROUP_FIGURES = frozenset({"confidential"})


def counts_in_group_figures(visibility: str) -> bool:
    """Whether a group demand counts in the public scoreboard's group figures. A confidential one does not: those
    cells are small and name a district and the size of a group, so a district showing one group demand of 37
    households, and no such public case, would tell that a sealed joint demand exists there and roughly whose it
    is. It still counts in its department's handling figures (received, on time, satisfied), where a department
    answers for every case it holds and a confidential case is one among private and not yet public ones."""
    return visibility not in SEALED_FROM_GROUP_FIGURES


def may_see_case(actor: Actor, case: CaseFacts) -> bool:
    """Staff see their department's cases (and those they co-handle); dispatch and oversight see all."""
    if not is_staff(actor):
        return False
    if (
        needs_clearance(case.visibility)
        and not actor.clearance
        and actor.user_id not in case.granted_user_ids
    ):
        return False
    if actor.role in ALL_DEPARTMENTS:
        return True
    return same_department(actor, case.department_id) or (
        actor.department_id is not None and actor.department_id in case.co_handler_ids
    )


def may_see_contact(actor: Actor, case: CaseFacts) -> bool:
    """The submitter's name, phone, e-mail, ID and address: for those who call back, never against anonymity.

    Intake, supervisors and administrators may call the submitter back. The responsible department (not a
    co-handler) may too, unless the submitter chose to stay anonymous (the portal promises 部门看不到您的姓名和电话).
    """
    if not may_see_case(actor, case):
        return False
    if actor.role in CALL_BACK:
        return True
    return actor.role in DEPARTMENT and same_department(actor, case.department_id) and not case.anonymous


def may_see_tracking_code(actor: Actor, *, registering: bool) -> bool:
    """The tracking code is the citizen's secret: staff see it once, when an operator registers the demand."""
    return registering and actor.role in DISPATCH


def may_act_as_citizen(actor: Actor, *, staff_credentials: bool) -> bool:
    """Citizen actions (evaluate, withdraw) are refused to anyone who comes with staff credentials."""
    return actor.role == Role.citizen and not staff_credentials


def may_grant_access(actor: Actor) -> bool:
    """Only cleared staff (or administrators) let one more person see a confidential case."""
    return is_staff(actor) and (actor.clearance or actor.role == Role.admin)


def may_manage_consultation(actor: Actor, department_id: int | None) -> bool:
    """The organising department's staff, supervisors and administrators run a consultation (draft to report)."""
    if not is_staff(actor):
        return False
    return actor.role in OVERSIGHT or (actor.role in DEPARTMENT and same_department(actor, department_id))


def may_see_consultation(actor: Actor, state: str, department_id: int | None) -> bool:
    """Everyone sees a consultation once it is opened; a draft only its organisers."""
    return state != "draft" or may_manage_consultation(actor, department_id)


def may_see_report(actor: Actor, reported_department_id: int | None) -> bool:
    """Misconduct reports: discipline inspectors only, never one of the reported department (conflict of interest).

    Reports live in their own tables, outside every case queue, search, export and statistic; this is the one rule
    that lets anyone read them, and it excludes everyone but inspectors who do not belong to the accused unit.
    """
    if actor.role not in DISCIPLINE:
        return False
    return not same_department(actor, reported_department_id)


def may_approve_unseal(actor: Actor, reported_department_id: int | None, requested_by: int | None) -> bool:
    """The custodian who approves unsealing a reporter's identity: another inspector who may see the report."""
    return (
        may_see_report(actor, reported_department_id)
        and actor.user_id is not None
        and actor.user_id != requested_by
    )


# organisation members (群团组织、社会组织、居村委会、专家机构、媒体的成员账号): not staff
MEMBER = frozenset({Role.member})
# who registers organisations and their members' accounts
ORGANISATION_ADMIN = frozenset({Role.admin})


def may_follow_case(actor: Actor, member_of: int | None, submitted_by: int | None) -> bool:
    """An organisation follows what it submitted on people's behalf (status, reply, rating), and nothing else:
    the case of another organisation, or one it did not submit, is missing (404). It never sees the person's
    contact: what it follows is the organisation's view, without the submitter's details."""
    return actor.role in MEMBER and member_of is not None and member_of == submitted_by


# who may ask an expert body's member for a signed opinion on a case or suggestion they see: those who handle and
# dispatch matters (not discipline inspectors, whose work stays out of the channels)
EXPERT_INVITERS = DISPATCH | DEPARTMENT


def may_invite_expert(actor: Actor) -> bool:
    """Staff who dispatch or handle matters ask experts (the subject must also be theirs to see)."""
    return actor.role in EXPERT_INVITERS


def may_submit_for_organisation(actor: Actor, member_of: int | None, organisation_active: bool) -> bool:
    """A member of an active organisation submits on behalf of a person (with that person's recorded consent)."""
    return actor.role in MEMBER and member_of is not None and organisation_active


# who may open an inspection round (巡视/巡察) and sit on its team: discipline inspectors, never administrators
INSPECTION_TEAM = DISCIPLINE
# who registers a telephone call to a round's line (the team may too)
ROUND_CALLS = frozenset({Role.intake}) | INSPECTION_TEAM


def is_round_member(actor: Actor, member_ids: frozenset[int], unit_id: int | None) -> bool:
    """A member of the round's team, never one of the inspected unit (the same exclusion as for reports).

    Everything submitted to a round (mailbox, calls) and the problem clues are for the team only: this is the one
    rule that lets anyone read them; the inspected unit's staff and head, supervisors and administrators never do.
    """
    return (
        actor.role in INSPECTION_TEAM
        and actor.user_id is not None
        and actor.user_id in member_ids
        and not same_department(actor, unit_id)
    )


def is_rectifying_unit(actor: Actor, unit_id: int | None) -> bool:
    """The staff of a unit responsible for rectification items (they report progress, never see submissions)."""
    return actor.role in DEPARTMENT and same_department(actor, unit_id)


def may_see_rectification(
    actor: Actor, member_ids: frozenset[int], round_unit_id: int, item_unit_id: int
) -> bool:
    """Findings and rectification items: the team, the inspected and responsible units, and oversight."""
    return (
        is_round_member(actor, member_ids, round_unit_id)
        or is_rectifying_unit(actor, item_unit_id)
        or is_rectifying_unit(actor, round_unit_id)
        or actor.role in OVERSIGHT
    )
