"""Retrain, record and roll back topic and urgency model versions; each decision is on the audit chain.

Training is slow and runs outside any transaction (it reads the corrections first, ends the read, then trains
and writes the candidate's files into its own folder); the unit of work records the version and its figures
on the audit chain and, once committed, switches the registry (a promoted candidate becomes active).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy.orm import Session

from minyi.access import MODEL_ADMIN, MODEL_TRAIN
from minyi.accounts.actor import Actor
from minyi.errors import Conflict, InvalidInput, NotFound
from minyi.learning.queries import topic_corrections, urgency_corrections
from minyi.nlp import registry
from minyi.nlp.learning import RetrainResult, retrain
from minyi.nlp.urgency_learning import UrgencyModel, UrgencyRetrain
from minyi.nlp.urgency_learning import retrain as retrain_urgency
from minyi.uow import end_read, write


def _refuse_unless(actor: Actor, roles: frozenset) -> None:
    if actor.role not in roles:
        raise NotFound("模型版本", "model version")  # the loop is invisible to others: 404, not 403


def _retrain_running() -> Conflict:
    return Conflict(
        "另一次模型重训正在进行，请稍后再试",
        "another retrain is running; try again later",
        code="retrain_running",
    )


def new_version(now: datetime | None = None) -> str:
    """A version name from the time of training (sortable, a valid folder name)."""
    return "topic-" + (now or datetime.now(UTC)).strftime("%Y%m%d-%H%M%S")


def retrain_from_corrections(
    session: Session,
    actor: Actor,
    base_texts: list[str],
    base_labels: list[str],
    *,
    inner_folds: int = 5,
    version: str | None = None,
) -> tuple[RetrainResult, dict[str, Any]]:
    """Train a candidate on the base data plus every topic correction, shadow-evaluate it, record the result.

    Holds the registry's retrain lock throughout: a second retrain meanwhile is refused (409), never interleaved."""
    _refuse_unless(actor, MODEL_TRAIN)
    try:
        with registry.retrain_lock():
            return _retrain_locked(session, actor, base_texts, base_labels, inner_folds, version)
    except registry.RetrainRunning as exc:
        raise _retrain_running() from exc


def _retrain_locked(
    session: Session,
    actor: Actor,
    base_texts: list[str],
    base_labels: list[str],
    inner_folds: int,
    version: str | None,
) -> tuple[RetrainResult, dict[str, Any]]:
    version = version or new_version()
    if not registry.valid_version(version) or version == registry.SHIPPED:
        raise InvalidInput("模型版本名无效", "invalid model version name", field="version")
    data = registry.read()
    if registry.find(data, version) is not None:
        raise InvalidInput("模型版本已存在", "model version already exists", field="version")
    corrections = topic_corrections(session)
    end_read(session)
    active_record = registry.find(data, data["active"]) if data["active"] else None
    active_dir = registry.active_dir()
    from minyi.nlp.topic import TopicModel

    active = TopicModel.load(active_dir) if active_dir and active_record else None
    result = retrain(
        base_texts,
        base_labels,
        corrections,
        active=active,
        active_figures=(active_record or {}).get("held_out"),
        version=version,
        inner_folds=inner_folds,
    )
    result.candidate.save(registry.root() / version)
    record = {
        "version": version,
        "trained_at": result.candidate.meta["trained_at"],
        "n_base": result.n_base,
        "n_corrections": result.n_corrections,
        "n_dropped": result.n_dropped,
        "held_out": result.candidate_figures,
        "reference": result.reference,
        "reference_held_out": result.reference_figures,
        "promoted": result.promote,
        "threshold": result.candidate.threshold,
    }
    do_record_model_version(session, actor, record=record)
    return result, record


def do_record_model_version(
    session: Session, actor: Actor, *, record: dict[str, Any], kind: str = "topic"
) -> None:
    """Put a trained version and the promotion decision on the audit chain; switch the registry on commit.

    (No @unit_of_work: the checks run before the write begins.)"""
    _refuse_unless(actor, MODEL_TRAIN)
    with write(session, actor) as tx:
        tx.record("model.retrain", f"{kind}_model", record["version"], record)

        def switch(data: dict[str, Any]) -> None:
            data["versions"].append(record)
            if record["promoted"]:
                data["active"] = record["version"]

        tx.after_commit(lambda: registry.update(switch, kind))


def do_rollback_model(
    session: Session, actor: Actor, *, version: str, reason: str | None = None, kind: str = "topic"
) -> None:
    """An administrator makes an earlier version (or "shipped": for urgency, the rules) the active one again."""
    _refuse_unless(actor, MODEL_ADMIN)
    if kind not in registry.KINDS:
        raise NotFound("模型版本", "model version")
    data = registry.read(kind)
    if version != registry.SHIPPED and (
        registry.find(data, version) is None or not (registry.root(kind) / version).is_dir()
    ):
        raise NotFound("模型版本", "model version")
    previous = data["active"] or registry.SHIPPED
    with write(session, actor) as tx:
        tx.record(
            "model.rollback", f"{kind}_model", version, {"from": previous, "to": version, "reason": reason}
        )

        def switch(data: dict[str, Any]) -> None:
            data["active"] = None if version == registry.SHIPPED else version

        tx.after_commit(lambda: registry.update(switch, kind))


def retrain_urgency_from_corrections(
    session: Session, actor: Actor, base_texts: list[str], *, version: str | None = None
) -> tuple[UrgencyRetrain, dict[str, Any]]:
    """Train an urgency candidate on the base messages (the rules' verdicts) plus every urgency correction,
    shadow-evaluate it on held-out corrections against the active urgency model or the rules, record it.

    Holds the urgency registry's retrain lock throughout: a second retrain meanwhile is refused (409)."""
    _refuse_unless(actor, MODEL_TRAIN)
    version = version or new_version().replace("topic-", "urgency-", 1)
    if not registry.valid_version(version) or version == registry.SHIPPED:
        raise InvalidInput("模型版本名无效", "invalid model version name", field="version")
    try:
        with registry.retrain_lock("urgency"):
            data = registry.read("urgency")
            if registry.find(data, version) is not None:
                raise InvalidInput("模型版本已存在", "model version already exists", field="version")
            corrections = urgency_corrections(session)
            end_read(session)
            folder = registry.active_dir("urgency")
            active = UrgencyModel.load(folder) if folder else None
            result = retrain_urgency(base_texts, corrections, active=active, version=version)
            result.candidate.save(registry.root("urgency") / version)
            record = {
                "version": version,
                "trained_at": result.candidate.meta["trained_at"],
                "n_base": len(base_texts),
                "n_corrections": result.candidate.meta["n_corrections"],
                "held_out": result.figures,
                "reference": result.reference,
                "reference_held_out": result.reference_figures,
                "promoted": result.promote,
            }
            do_record_model_version(session, actor, record=record, kind="urgency")
            return result, record
    except registry.RetrainRunning as exc:
        raise _retrain_running() from exc
