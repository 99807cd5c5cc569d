"""`minyi org add NAME KIND` and `minyi org member ORG_ID USERNAME`: organisations and their members' accounts."""

from __future__ import annotations

import typer

org_app = typer.Typer(
    help="Organisations (群团组织、社会组织、居村委会…) and their members.", no_args_is_help=True
)


@org_app.command("add")
def add(name: str, kind: str, region: str | None = None) -> None:
    """Register an organisation (kinds: union, youth_league, womens_federation, disabled_federation,
    social_organisation, residents_committee, villagers_committee, expert_body, media)."""
    from minyi.accounts.actor import SYSTEM
    from minyi.db import session_scope
    from minyi.organisations.actions import do_add_organisation
    from minyi.organisations.schemas import OrganisationIn

    with session_scope() as session:
        org = do_add_organisation(session, SYSTEM, OrganisationIn.model_validate({"name": name, "kind": kind,
                                                                                  "region_code": region}))  # fmt: skip
        typer.echo(f"organisation {org.id} registered: {org.name}")


@org_app.command("member")
def member(organisation_id: int, username: str, display_name: str | None = None) -> None:
    """Give an organisation a member's account (the password is asked for, never taken on the command line)."""
    from minyi.accounts.actor import SYSTEM
    from minyi.db import session_scope
    from minyi.organisations.actions import do_add_member
    from minyi.organisations.schemas import MemberIn

    password = typer.prompt("password", hide_input=True, confirmation_prompt=True)
    with session_scope() as session:
        body = MemberIn(username=username, password=password, display_name=display_name)
        do_add_member(session, SYSTEM, organisation_id, body)
        typer.echo(f"member {username} added to organisation {organisation_id}")
