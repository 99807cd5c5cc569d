"""An organisation member's password on both databases: an administrator's reset forces a change, which the
member makes with the temporary password, on the audit record; the sessions end at the reset."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from minyi.accounts.manage import do_change_password, do_reset_password
from minyi.accounts.models import ApiToken, User
from minyi.audit.models import AuditEntry
from minyi.errors import InvalidInput
from minyi.organisations.actions import do_add_member, do_add_organisation
from minyi.organisations.schemas import MemberIn, OrganisationIn
from tests.support.factories import PASSWORD, make_org

NEW = "a-much-longer-new-secret-42"


def test_a_reset_member_must_change_and_does(session: Session) -> None:
    org = make_org(session)
    admin = org.actor("admin")
    o = do_add_organisation(
        session, admin, OrganisationIn.model_validate({"name": "市总工会", "kind": "union"})
    )
    user_id = do_add_member(
        session, admin, o.id, MemberIn(username="union-member", password=PASSWORD)
    ).user_id
    temporary = do_reset_password(session, admin, user_id)
    member = session.get(User, user_id)
    assert member is not None and member.must_change_password
    assert session.scalars(select(ApiToken).where(ApiToken.user_id == user_id)).first() is None
    with pytest.raises(InvalidInput):
        do_change_password(session, user_id, PASSWORD, NEW)  # the old password no longer opens it
    changed = do_change_password(session, user_id, temporary, NEW)
    assert changed.must_change_password is False
    actions = session.scalars(select(AuditEntry.action).where(AuditEntry.object_id == str(user_id))).all()
    assert "user.reset_password" in actions and "user.change_password" in actions
