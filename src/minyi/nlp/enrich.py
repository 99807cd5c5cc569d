"""One call that reads a message: topic, emotion, urgency, personal data, repeat signature; never raises."""

from __future__ import annotations

import importlib
import logging
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from minyi.nlp import memo, pii, repeats, urgency
from minyi.nlp.text import MAX_CHARS, normalize

log = logging.getLogger(__name__)
MIN_HAN_SHARE = 0.3
CHUNK = 256  # messages per model call: the cost per message is flat from here (docs/benchmarks.md)
# Counted as what is left once everything else is removed: one string instead of a list of characters.
_NOT_HAN = re.compile("[^\u3400-\u4dbf\u4e00-\u9fff]+")
_NOT_LETTERS = re.compile(r"[\W\d_]+")
_MISSING = object()
_topic_model: Any = _MISSING
_topic_stamp = 0.0
_urgency_model: Any = _MISSING
_urgency_stamp = 0.0


@dataclass(slots=True)
class Enrichment:
    """What the text-understanding slice learns from one message (title and body)."""

    normalized_title: str = ""
    normalized_text: str = ""
    topic: Any | None = None  # minyi.nlp.topic.TopicPrediction
    topic_version: str | None = None  # the model version that predicted it (kept on the case)
    emotion: Any | None = None  # minyi.nlp.emotion.Emotion
    urgency: list[urgency.UrgencyFlag] = field(default_factory=list)
    is_urgent: bool = False
    urgency_version: str | None = None  # "rules", or the retrained urgency model that judged it
    pii_count: int = 0
    pii_kinds: list[str] = field(default_factory=list)
    signature: bytes = b""
    band_keys: list[int] = field(default_factory=list)
    language_ok: bool = False
    warnings: list[str] = field(default_factory=list)


def get_topic_model() -> Any | None:
    """The active topic model (a promoted retrained version, else the shipped one), loaded again only when
    the model registry changes (a promotion or rollback in another process); None when it is missing."""
    global _topic_model, _topic_stamp
    from minyi.nlp import registry

    stamp = registry.stamp()
    if _topic_model is _MISSING or stamp != _topic_stamp:
        _topic_stamp = stamp
        try:
            module = importlib.import_module("minyi.nlp.topic")
            folder = registry.active_dir()
            _topic_model = module.TopicModel.load(folder) if folder else module.get_topic_model()
        except Exception as exc:  # a missing or broken model must not stop intake
            log.warning("topic model unavailable: %s", exc)
            _topic_model = None
    return _topic_model


def reset_topic_model() -> None:
    """Forget the loaded topic and urgency models (after retraining, or in tests)."""
    global _topic_model, _urgency_model
    _topic_model = _urgency_model = _MISSING


def get_urgency_model() -> Any | None:
    """The active retrained urgency model, or None while the rules alone decide (reloaded on registry change)."""
    global _urgency_model, _urgency_stamp
    from minyi.nlp import registry

    stamp = registry.stamp("urgency")
    if _urgency_model is _MISSING or stamp != _urgency_stamp:
        _urgency_stamp = stamp
        try:
            folder = registry.active_dir("urgency")
            module = importlib.import_module("minyi.nlp.urgency_learning")
            _urgency_model = module.UrgencyModel.load(folder) if folder else None
        except Exception as exc:  # a broken model falls back to the rules
            log.warning("urgency model unavailable: %s", exc)
            _urgency_model = None
    return _urgency_model


def _fill_emotions(results: list[Enrichment], fulls: list[str]) -> None:
    """Emotion of every message with text, the polarity model run once over the batch."""
    todo = [(r, full) for r, full in zip(results, fulls, strict=True) if full]
    if not todo:
        return
    try:
        module = importlib.import_module("minyi.nlp.emotion")
    except ModuleNotFoundError:
        for r, _ in todo:
            r.warnings.append("emotion_unavailable")
        return
    try:
        for (r, _), feel in zip(todo, module.score_many([full for _, full in todo]), strict=True):
            r.emotion = feel
    except Exception:  # find the message that fails: only it goes without an emotion
        for r, full in todo:
            _step(r, "emotion", lambda r=r, full=full: setattr(r, "emotion", module.score_many([full])[0]))


def language_check(text: str) -> tuple[bool, list[str]]:
    """Whether the text is Chinese enough to analyse, and warnings that say why not."""
    if not text.strip():
        return False, ["empty: no text to analyse"]
    han = len(_NOT_HAN.sub("", text))
    if han < 2:
        return False, ["not_chinese: fewer than two Chinese characters"]
    letters = len(_NOT_LETTERS.sub("", text))
    if han / letters < MIN_HAN_SHARE:
        return False, [f"not_chinese: only {han / letters:.0%} of the letters are Chinese"]
    return True, []


def _safe_str(value: object) -> str:
    if value is None:
        return ""
    return value if isinstance(value, str) else str(value)


def _normalize_pair(title: str, text: str) -> tuple[str, str]:
    """normalize() of title and body, in one pass when the title is a plain single line (the usual case)."""
    if title.strip() and len(title) + len(text) < MAX_CHARS and not any(c in title for c in "\n\r<>&"):
        both = normalize(f"{title}\n{text}")
        head, sep, body = both.partition("\n")
        if sep:
            return head.strip(), body.strip()
    return normalize(title), normalize(text)


def _prepare(title: object, text: object, urgency_model: Any | None) -> tuple[Enrichment, str]:
    """The rules (urgency, personal data, signature), and the normalised text the models read in batches."""
    out = Enrichment()
    try:
        raw_title, raw_text = _safe_str(title), _safe_str(text)
        if len(raw_title) + len(raw_text) > MAX_CHARS:
            out.warnings.append(f"truncated: only the first {MAX_CHARS} characters were analysed")
        out.normalized_title, out.normalized_text = _normalize_pair(raw_title, raw_text)
    except Exception as exc:
        out.warnings.append(f"normalize_failed: {type(exc).__name__}")
        return out, ""
    full = f"{out.normalized_title}\n{out.normalized_text}".strip()
    out.language_ok, lang_warnings = language_check(full)
    out.warnings += lang_warnings
    _step(out, "urgency", lambda: _fill_urgency(out, full, urgency_model))
    _step(out, "pii", lambda: _fill_pii(out, full))
    _step(out, "signature", lambda: _fill_signature(out, full))
    return out, full


def _step(out: Enrichment, name: str, action: Any) -> None:
    try:
        action()
    except ModuleNotFoundError:
        out.warnings.append(f"{name}_unavailable")
    except Exception as exc:
        log.exception("enrich step %s failed", name)
        out.warnings.append(f"{name}_failed: {type(exc).__name__}")


def _fill_urgency(out: Enrichment, full: str, model: Any | None) -> None:
    out.urgency = urgency.detect(full, normalized=True)
    out.is_urgent, out.urgency_version = urgency.is_urgent(out.urgency), "rules"
    if model is not None:
        out.is_urgent, out.urgency_version = model.is_urgent(full), model.version


def _fill_pii(out: Enrichment, full: str) -> None:
    spans = pii.find(full)
    out.pii_count = len(spans)
    out.pii_kinds = sorted({s.kind for s in spans})


def _fill_signature(out: Enrichment, full: str) -> None:
    out.signature = repeats.to_bytes(repeats.signature(full, normalized=True))


def _fill_band_keys(results: list[Enrichment]) -> None:
    """The band keys of every signature of the batch in one vectorised pass."""
    todo = [r for r in results if len(r.signature) == repeats.SIGNATURE_BYTES]
    try:
        for r, keys in zip(todo, repeats.band_keys_of([r.signature for r in todo]), strict=True):
            r.band_keys = keys
    except Exception as exc:
        log.exception("enrich step signature failed")
        for r in todo:
            r.warnings.append(f"signature_failed: {type(exc).__name__}")


def enrich_many(items: Iterable[tuple[object, object]]) -> list[Enrichment]:
    """Enrich (title, text) pairs; the emotion and topic models read them in batches of up to CHUNK."""
    pairs = list(items)
    out: list[Enrichment] = []
    for start in range(0, len(pairs), CHUNK):
        with memo.shared():  # what the models share per message is held for one chunk only
            out += _enrich_batch(pairs[start : start + CHUNK])
    return out


def _enrich_batch(items: Iterable[tuple[object, object]]) -> list[Enrichment]:
    urgency_model = get_urgency_model()  # once per batch: looking at the registry costs a file system call
    prepared = [_prepare(title, text, urgency_model) for title, text in items]
    results = [r for r, _ in prepared]
    _fill_band_keys(results)
    _fill_emotions(results, [full for _, full in prepared])
    todo = [r for r in results if r.language_ok]
    if not todo:
        return results
    model = get_topic_model()
    if model is None:
        for r in todo:
            r.warnings.append("topic_unavailable")
        return results
    try:
        texts = [f"{r.normalized_title}\n{r.normalized_text}" for r in todo]
        for r, prediction in zip(todo, model.predict(texts), strict=True):
            r.topic = prediction
            r.topic_version = getattr(model, "version", None)
    except Exception as exc:
        log.exception("topic prediction failed")
        for r in todo:
            r.warnings.append(f"topic_failed: {type(exc).__name__}")
    return results


def enrich(title: str, text: str) -> Enrichment:
    """Enrich one message (title and body); problems become warnings, never exceptions."""
    return enrich_many([(title, text)])[0]
