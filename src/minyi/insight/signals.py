"""Per-message signals for early warning: region, emotion intensity, collective-action flags (optional nlp)."""

from __future__ import annotations

import math
import re
from collections.abc import Callable

from minyi.insight.entities import DISTRICT
from minyi.insight.model import Message

COLLECTIVE = re.compile(
    r"集体|联名|上访|聚集|维权|拉横幅|堵路|群体|多名业主|全体业主|上百|几百|数百|众多业主"
)


def region_of(m: Message) -> str | None:
    """The message's region: as given, else the first district mask (A3区, A7县) in its title or text."""
    if m.region:
        return m.region
    hit = DISTRICT.search(m.title) or DISTRICT.search(m.text[:300])
    return hit.group(0) if hit else None


def nlp_scorers() -> tuple[Callable[[str], float] | None, Callable[[str], bool] | None]:
    """The emotion-intensity and collective-action scorers of minyi.nlp, or None where not installed."""
    emotion = urgency = None
    try:
        from minyi.nlp.emotion import score as emotion_score  # type: ignore[import-not-found]

        def emotion(text: str) -> float:
            return float(getattr(emotion_score(text), "intensity", 0.0) or 0.0)

    except ImportError:
        pass
    try:
        from minyi.nlp.urgency import detect as urgency_detect  # type: ignore[import-not-found]

        def urgency(text: str) -> bool:
            return any("collective" in str(getattr(f, "flag", "")).lower() for f in urgency_detect(text))

    except ImportError:
        pass
    return emotion, urgency


def message_weight(
    m: Message, emotion: Callable[[str], float] | None = None, urgency: Callable[[str], bool] | None = None
) -> float:
    """1 plus up to 0.5 for emotional intensity plus 0.5 for a collective-action flag, plus up to 1 for a group
    demand (联名) registered by a committee with the households behind it (10 households 0.25, 100 0.5, 10,000 1):
    a registered group demand is collective by definition, whatever its words."""
    text = f"{m.title}。{m.text[:500]}"
    intensity = m.intensity
    if intensity is None and emotion is not None:
        try:
            intensity = emotion(text)
        except Exception:  # noqa: BLE001 - a scorer failing must not stop the warning
            intensity = None
    collective = bool(COLLECTIVE.search(text))
    if urgency is not None and not collective:
        try:
            collective = urgency(text)
        except Exception:  # noqa: BLE001
            collective = False
    group = min(1.0, math.log10(m.households) / 4) if m.households >= 2 else 0.0
    collective = collective or m.households >= 2
    return 1.0 + 0.5 * min(max(intensity or 0.0, 0.0), 1.0) + 0.5 * collective + group


def weights_for(messages: list[Message], use_nlp: bool = True) -> list[float]:
    """Weights of many messages, using the nlp emotion/urgency models when they are installed."""
    emotion, urgency = nlp_scorers() if use_nlp else (None, None)
    return [message_weight(m, emotion, urgency) for m in messages]
