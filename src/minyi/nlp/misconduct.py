"""Whether a demand's text reports misconduct by officials (举报), so that ordinary intake steers it to the sealed
channel instead of sending it to the department it accuses. Pure, and deliberately narrow: only words that name
abuse of office for gain; a fee dispute or a rude clerk is an ordinary complaint for the department to answer."""

from __future__ import annotations

import re

MISCONDUCT = re.compile(
    r"贪污|受贿|索贿|行贿|贿赂|挪用公款|吃拿卡要|权钱交易|以权谋私|徇私枉法|好处费|回扣"
    r"|收受[^，。,.！!？?\n]{0,12}(?:红包|礼金|购物卡|财物|礼品|现金)"
    r"|(?:索要|索取)[^，。,.！!？?\n]{0,6}(?:钱财|财物|红包|好处)"
)


def looks_like_misconduct(text: str) -> bool:
    """True when the text names abuse of office for gain (bribes, embezzlement, kickbacks, 吃拿卡要)."""
    return MISCONDUCT.search(text) is not None
