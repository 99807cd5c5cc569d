"""Writes of the open-data slice: registering client applications; Open311 submissions enter the normal intake."""

from __future__ import annotations

from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from minyi.accounts.actor import CITIZEN, Actor
from minyi.accounts.roles import Role
from minyi.cases.models import Case
from minyi.cases.public_reply import remask_batch
from minyi.cases.rules import Channel
from minyi.cases.schemas import CaseSubmission, Contact
from minyi.errors import Conflict, Forbidden, InvalidInput, NotFound
from minyi.intake.actions import do_submit_case
from minyi.intake.steering import Steered, do_steer_to_reports, should_steer
from minyi.opendata.catalogue import groups, topic_of
from minyi.opendata.models import Open311Client
from minyi.opendata.rules import hash_key, new_api_key, parse_service_code
from minyi.opendata.schemas import ClientEdit, ClientIn, Open311Submission
from minyi.uow import end_read, write

REGISTER = frozenset({Role.admin, Role.system})  # the CLI acts as the system


def do_register_client(session: Session, actor: Actor, data: ClientIn) -> tuple[Open311Client, str]:
    """Register a client application; returns it and its API key (shown once, only its hash is kept)."""
    if actor.role not in REGISTER:
        raise Forbidden("仅管理员可登记客户端应用", "only administrators register client applications")
    name = data.name.strip()
    taken = session.scalar(select(Open311Client.id).where(Open311Client.name == name))
    end_read(session)
    if taken is not None:
        raise Conflict("该客户端应用名称已存在", "a client application with this name exists", field="name")
    key = new_api_key()
    with write(session, actor) as tx:
        client = Open311Client(name=name, contact=data.contact.strip(), key_hash=hash_key(key),
                               rate_limit_per_hour=data.rate_limit_per_hour, active=True)  # fmt: skip
        session.add(client)
        session.flush()
        tx.record("open311_client.register", "open311_client", client.id,
                  {"name": name, "rate_limit_per_hour": data.rate_limit_per_hour})  # fmt: skip
    return client, key


def do_edit_client(session: Session, actor: Actor, client_id: int, data: ClientEdit) -> Open311Client:
    """Change a client application's contact, rate limit or state; a disabled one's key is refused at once."""
    if actor.role not in REGISTER:
        raise Forbidden("仅管理员可修改客户端应用", "only administrators change client applications")
    found = session.get(Open311Client, client_id) is not None
    end_read(session)
    if not found:
        raise NotFound("客户端应用", "client application")
    with write(session, actor) as tx:
        client = session.get(Open311Client, client_id, with_for_update=True, populate_existing=True)
        assert client is not None
        before = {"contact": client.contact, "rate_limit_per_hour": client.rate_limit_per_hour,
                  "active": client.active}  # fmt: skip
        client.contact = data.contact.strip()
        client.rate_limit_per_hour = data.rate_limit_per_hour
        client.active = data.active
        after = {"contact": client.contact, "rate_limit_per_hour": client.rate_limit_per_hour,
                 "active": client.active}  # fmt: skip
        tx.record("open311_client.edit", "open311_client", client.id,
                  {"name": client.name, "before": before, "after": after})  # fmt: skip
    return client


def get_client_by_key(session: Session, key: str | None) -> Open311Client | None:
    """The active client application holding this API key, or None."""
    if not key:
        return None
    client = session.scalar(
        select(Open311Client).where(Open311Client.key_hash == hash_key(key), Open311Client.active.is_(True))
    )
    end_read(session)
    return client


def list_clients(session: Session) -> list[Open311Client]:
    clients = list(session.scalars(select(Open311Client).order_by(Open311Client.id)))
    end_read(session)
    return clients


def open311_case_in(sub: Open311Submission) -> CaseSubmission:
    """The demand an Open311 submission stands for (channel web), or InvalidInput."""
    parsed = parse_service_code(sub.service_code, groups())
    if parsed is None:
        raise InvalidInput("服务代码不存在", "unknown service_code", field="service_code")
    kind, _ = parsed
    name = " ".join(p for p in (sub.last_name, sub.first_name) if p) or None
    text = sub.description.strip()
    try:
        contact = (
            Contact(name=name, phone=sub.phone, email=sub.email) if name or sub.phone or sub.email else None
        )
        return CaseSubmission(
            kind=kind, channel=Channel.web, title=text.splitlines()[0][:40] if text else text, body=text,
            address=sub.address_string, latitude=sub.lat, longitude=sub.long,
            topic_code=topic_of(parsed, sub.topic), contact=contact,
        )  # fmt: skip
    except ValidationError as exc:
        first = exc.errors()[0]
        field = ".".join(str(p) for p in first.get("loc", ())) or None
        raise InvalidInput(
            "提交内容有误", f"invalid submission: {first.get('msg', '')}", field=field
        ) from exc


def do_submit_open311(session: Session, client: Open311Client, sub: Open311Submission) -> Case | Steered:
    """A demand from a client application through the normal intake: channel web, the client named on the record.

    A misconduct report (the steering rule on its text) becomes a sealed report, never a case: the client gets its
    receipt and passphrase to show its user once, and the report keeps no word of the client."""
    case_in = open311_case_in(sub)
    if should_steer(case_in):
        return do_steer_to_reports(session, case_in)
    case, _ = do_submit_case(session, case_in, actor=CITIZEN, via=f"Open311 client: {client.name}")
    return case


def do_remask_replies(session: Session, actor: Actor, *, batch: int = 2000, everything: bool = False) -> int:
    """`minyi opendata remask`: store the masked reply of every answered case whose stored one is missing or out
    of date (`everything`: all), a unit of work per batch (each with its audit entry). Returns how many."""
    if actor.role not in REGISTER:
        raise Forbidden("仅管理员可重新遮蔽答复", "only administrators mask the replies again")
    total, after = 0, 0
    while True:
        with write(session, actor) as tx:
            n, last = remask_batch(session, after, batch, everything=everything)
            if n:
                tx.record(
                    "opendata.remask_replies", "case", None, {"from_id": after + 1, "to_id": last, "count": n}
                )
        if not n:
            return total
        total, after = total + n, last
