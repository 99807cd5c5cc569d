"""Why the understanding suggested a department, said in the reader's language with names instead of codes.

The reason is kept in the case's history as the core wrote it ("routing rule: topic 04 + region 990102",
"handled a similar case (CODE)"); the history is append-only, so the words are translated when shown.
"""

from __future__ import annotations

import re

from sqlalchemy.orm import Session

from minyi.cases.tracking import display_code
from minyi.departments.models import Region
from minyi.locale import current_locale
from minyi.locale import gettext as _
from minyi.taxonomy import load_taxonomy

_RULE = re.compile(r"^routing rule: (.+)$")
_SIMILAR = re.compile(r"^handled a similar case \(([0-9A-Z]+)\)$")


def department_reason(session: Session, reason: str | None) -> str:
    """The suggestion's reason as a sentence for the page ('' when there is none)."""
    if not reason:
        return ""
    if similar := _SIMILAR.match(reason):
        return _("曾办理类似案件 %(code)s") % {"code": display_code(similar.group(1))}
    rule = _RULE.match(reason)
    if rule is None:
        return reason
    parts = []
    for part in rule.group(1).split(" + "):
        what, _sep, code = part.partition(" ")
        if what == "topic":
            name = load_taxonomy().name_of(code, current_locale() == "en") or code
            parts.append(_("分类：%(name)s") % {"name": name})
        elif what == "region":
            region = session.get(Region, code)
            parts.append(_("区域：%(name)s") % {"name": region.name if region else code})
    return _("按分派规则（%(parts)s）") % {"parts": _("、").join(parts) or _("默认规则")}
