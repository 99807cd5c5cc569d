"""Read the learning loop's data: staff corrections of topic and urgency (the `correct` events), model versions."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from minyi.cases.models import Case, CaseEvent
from minyi.nlp.learning import Correction
from minyi.nlp.pii import redact
from minyi.nlp.urgency_learning import UrgencyCorrection
from minyi.taxonomy import load_taxonomy


def _correct_events(session: Session) -> list[Any]:
    """Every `correct` event with its case's text and model versions, oldest first."""
    return list(
        session.execute(
            select(
                CaseEvent.case_id,
                CaseEvent.at,
                CaseEvent.actor_id,
                CaseEvent.data,
                Case.title,
                Case.body,
                Case.topic_model_version,
                Case.urgency_model_version,
            )
            .join(Case, Case.id == CaseEvent.case_id)
            .where(CaseEvent.action == "correct")
            .order_by(CaseEvent.at, CaseEvent.id)
        ).all()
    )


def _training_text(title: str | None, body: str | None) -> str:
    # personal data never enters a model's vocabulary (its files are kept, copied and rolled back)
    return redact(f"{title}\n{body}" if (title or "").strip() else (body or ""))


def topic_corrections(session: Session) -> list[Correction]:
    """Every correction that changed a case's topic, oldest first, with who, when and the model version.

    The text is redacted. The label is the first-level topic of the corrected code (the level the model predicts); a correction
    to a code outside the taxonomy, or one that only changed another field, is not a training row.
    """
    taxonomy = load_taxonomy()
    out = []
    for r in _correct_events(session):
        data = r.data or {}
        before = (data.get("before") or {}).get("topic_code")
        after = (data.get("after") or {}).get("topic_code")
        label = taxonomy.level1_of(after)
        if after is None or after == before or label is None:
            continue
        version = data.get("model_version", r.topic_model_version)
        out.append(Correction(r.case_id, _training_text(r.title, r.body), label, r.actor_id, r.at, version))
    return out


def urgency_corrections(session: Session) -> list[UrgencyCorrection]:
    """Every correction that changed a case's urgency, oldest first, with who, when and the urgency model
    (or "rules") whose verdict was corrected; the text is redacted."""
    out = []
    for r in _correct_events(session):
        data = r.data or {}
        before = (data.get("before") or {}).get("urgent")
        after = (data.get("after") or {}).get("urgent")
        if after is None or bool(after) == bool(before):
            continue
        version = data.get("urgency_model_version", r.urgency_model_version)
        text = _training_text(r.title, r.body)
        out.append(UrgencyCorrection(r.case_id, text, bool(after), r.actor_id, r.at, version))
    return out


def cases_by_model_version(session: Session) -> dict[str, int]:
    """How many cases each model version understood (None: before versions were kept, or no model)."""
    rows = session.execute(
        select(Case.topic_model_version, func.count()).group_by(Case.topic_model_version)
    ).all()
    return {str(v or "-"): int(n) for v, n in rows}


def summary(session: Session, registry_data: dict[str, Any]) -> dict[str, Any]:
    """What the administrator's page and `minyi model history` show."""
    corrections = topic_corrections(session)
    return {
        "active": registry_data["active"],
        "versions": registry_data["versions"],
        "corrections": len(corrections),
        "corrected_cases": len({c.case_id for c in corrections}),
        "by_version": cases_by_model_version(session),
        "recent": corrections[-20:][::-1],
    }


def urgency_summary(session: Session, registry_data: dict[str, Any]) -> dict[str, Any]:
    """The urgency model's part of the administrator's page: the registry plus the number of corrections."""
    return {**registry_data, "corrections": len(urgency_corrections(session))}
