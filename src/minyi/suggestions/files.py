"""Files of suggestions and proposals, through the generic attachments slice: the proposer attaches to the
submission (with their code), a unit attaches to its own answer; who may read them is this slice's rule (the
office, and the units of the item; any other unit, and anyone else, finds nothing)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from minyi.accounts.actor import CITIZEN, Actor
from minyi.accounts.roles import Role
from minyi.attachments.actions import add_attachment, prepare
from minyi.attachments.models import Attachment
from minyi.attachments.queries import count_for, list_for
from minyi.attachments.registry import register_owner
from minyi.attachments.rules import MAX_FILES, CheckedFile
from minyi.errors import Conflict, InvalidInput, NotFound
from minyi.suggestions.models import Proposer, Suggestion, SuggestionAnswer
from minyi.suggestions.queries import access_own_suggestion, access_suggestion_by_id
from minyi.suggestions.rules import SuggestionStatus
from minyi.uow import current_tx, write

SUBMISSION, ANSWER = "suggestion", "suggestion_answer"
CLOSED = frozenset({SuggestionStatus.evaluated, SuggestionStatus.not_accepted})


@dataclass(frozen=True)
class ProposerReader(Actor):
    """The reader a proposer becomes once their signed code cookie opened their page: an actor of its own kind
    (known by its type, never by a label that a name could imitate), built only by `proposer_reader`."""

    proposer_id: int = 0


def proposer_reader(proposer: Proposer) -> ProposerReader:
    """The actor that reads the proposer's own files (only after their code was checked)."""
    return ProposerReader(Role.citizen, f"proposer:{proposer.name}"[:100], proposer_id=proposer.id)


def _may_read_item(session: Session, actor: Actor, suggestion_id: int) -> bool:
    if isinstance(actor, ProposerReader):
        owner = session.scalar(select(Suggestion.proposer_id).where(Suggestion.id == suggestion_id))
        return actor.proposer_id > 0 and owner == actor.proposer_id
    if actor.role == Role.citizen:  # any other citizen (a tracking code, a name) reads no suggestion's files
        return False
    try:
        access_suggestion_by_id(session, actor, suggestion_id)
    except NotFound:
        return False
    return True


def _may_read_answer(session: Session, actor: Actor, answer_id: int) -> bool:
    suggestion_id = session.scalar(
        select(SuggestionAnswer.suggestion_id).where(SuggestionAnswer.id == answer_id)
    )
    return suggestion_id is not None and _may_read_item(session, actor, suggestion_id)


register_owner(SUBMISSION, _may_read_item)
register_owner(ANSWER, _may_read_answer)


def check_room(session: Session, object_type: str, object_id: int, status: str, n: int) -> None:
    """No files once the item is finished; at most MAX_FILES per submission or answer."""
    if status in CLOSED:
        raise Conflict(
            "该件已办结，不能再添加附件", "the item is finished; no more attachments", field="files"
        )
    if count_for(session, object_type, object_id) + n > MAX_FILES:
        raise InvalidInput(f"附件最多{MAX_FILES}个", f"at most {MAX_FILES} attachments", field="files")


def check_files(
    session: Session, object_type: str, object_id: int, status: str, uploads: list[tuple[str, bytes]]
) -> list[CheckedFile]:
    """Every refusal before the write: the item's state, the count, each file's size and type."""
    check_room(session, object_type, object_id, status, len(uploads))
    return prepare(session, object_type, object_id, uploads)


def access_own_answer(session: Session, actor: Actor, suggestion_id: int, answer_id: int) -> SuggestionAnswer:
    """An answer of the actor's own unit on an item it may see; any other is missing (404)."""
    access_suggestion_by_id(session, actor, suggestion_id)
    answer = session.get(SuggestionAnswer, answer_id) if 1 <= answer_id < 2**31 else None
    if answer is None or answer.suggestion_id != suggestion_id or answer.department_id != actor.department_id:
        raise NotFound("答复", "answer")
    return answer


def attach(session: Session, object_type: str, object_id: int, files: list[CheckedFile]) -> list[Attachment]:
    """Link checked files inside the caller's unit of work (each on the audit chain by its hash)."""
    assert current_tx(session) is not None, "called outside its unit of work"
    return [
        add_attachment(session, object_type, object_id, f.data, filename=f.name, content_type=f.content_type)
        for f in files
    ]


def do_attach_to_submission(
    session: Session, proposer: Proposer, suggestion_id: int, uploads: list[tuple[str, bytes]]
) -> list[Attachment]:
    """The proposer adds documents to their own item: every refusal first, then one unit of work under its lock."""
    item = access_own_suggestion(session, proposer, suggestion_id)
    checked = check_files(session, SUBMISSION, item.id, item.status, uploads)
    with write(session, Actor(CITIZEN.role, f"proposer:{proposer.name}"[:100])):
        item = access_own_suggestion(session, proposer, suggestion_id, for_update=True)
        check_room(session, SUBMISSION, item.id, item.status, len(checked))
        return attach(session, SUBMISSION, item.id, checked)


def do_attach_to_answer(
    session: Session, actor: Actor, suggestion_id: int, answer_id: int, uploads: list[tuple[str, bytes]]
) -> list[Attachment]:
    """A unit adds documents to its own answer (another unit's, or an item it may not see, is 404)."""
    answer = access_own_answer(session, actor, suggestion_id, answer_id)
    item = access_suggestion_by_id(session, actor, suggestion_id)
    checked = check_files(session, ANSWER, answer.id, item.status, uploads)
    with write(session, actor):
        item = access_suggestion_by_id(session, actor, suggestion_id, for_update=True)
        check_room(session, ANSWER, answer.id, item.status, len(checked))
        return attach(session, ANSWER, answer.id, checked)


def own_answer_ids(session: Session, actor: Actor, suggestion_id: int) -> list[int]:
    """The answers of the actor's unit on the item (the page offers an upload form for each)."""
    stmt = select(SuggestionAnswer.id).where(SuggestionAnswer.suggestion_id == suggestion_id,
                                             SuggestionAnswer.department_id == actor.department_id)  # fmt: skip
    return list(session.scalars(stmt.order_by(SuggestionAnswer.id))) if actor.department_id else []


def files_of(session: Session, actor: Actor, suggestion_id: int) -> list[tuple[str, Attachment]]:
    """The submission's files and the answers' files of an item the actor may see (404 otherwise)."""
    access_suggestion_by_id(session, actor, suggestion_id)
    answers = session.scalars(
        select(SuggestionAnswer.id).where(SuggestionAnswer.suggestion_id == suggestion_id)
    )
    out = [(SUBMISSION, a) for a in list_for(session, SUBMISSION, suggestion_id)]
    for answer_id in answers.all():
        out += [(ANSWER, a) for a in list_for(session, ANSWER, answer_id)]
    return out


def _unsealed(session: Session, object_type: str, object_ids: list[int]) -> dict[int, list[Attachment]]:
    out: dict[int, list[Attachment]] = {}
    if not object_ids:
        return out
    stmt = select(Attachment).where(Attachment.object_type == object_type, Attachment.object_id.in_(object_ids),
                                    Attachment.sealed_key.is_(None))  # fmt: skip
    for row in session.scalars(stmt.order_by(Attachment.id)):
        out.setdefault(row.object_id, []).append(row)
    return out


def submission_files(session: Session, suggestion_ids: list[int]) -> dict[int, list[Attachment]]:
    """The files the proposer attached to each of their own items (the ids come from their own list)."""
    return _unsealed(session, SUBMISSION, suggestion_ids)


def answer_files(session: Session, answer_ids: list[int]) -> dict[int, list[Attachment]]:
    """The files the units attached to each answer given to the proposer (the ids come from their own items'
    answers: every answer is addressed to its proposer, withheld from the public or not)."""
    return _unsealed(session, ANSWER, answer_ids)
