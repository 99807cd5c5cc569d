"""Reusable reply templates (答复模板) offered on the case page, read from a JSON file in the data folder."""

from __future__ import annotations

import json
from dataclasses import dataclass

from minyi.locale import N_
from minyi.locale import gettext as _
from minyi.settings import get_settings

BUILT_IN = (
    (
        N_("已办结"),
        N_(
            "您好！您反映的问题已收悉。经核实，我单位已于近日安排人员到现场处理，问题已解决。感谢您对我们工作的监督和支持。"
        ),
    ),
    (
        N_("正在办理"),
        N_(
            "您好！您反映的问题已收悉。我单位已安排专人跟进，预计在规定期限内办理完毕，届时将及时告知您办理结果。"
        ),
    ),
    (N_("政策解释"), N_("您好！关于您咨询的问题，根据相关规定，现答复如下：")),
)


@dataclass(frozen=True)
class ReplyTemplate:
    """A named reply text staff start from."""

    name: str
    text: str


def reply_templates() -> list[ReplyTemplate]:
    """Built-in templates, then the administrators' own."""
    return [ReplyTemplate(_(name), _(body)) for name, body in BUILT_IN] + own_templates()


def own_templates() -> list[ReplyTemplate]:
    """The administrators' own templates from <data_dir>/reply_templates.json."""
    out: list[ReplyTemplate] = []
    path = get_settings().data_dir / "reply_templates.json"
    if path.exists():
        try:
            rows = json.loads(path.read_text(encoding="utf-8"))
            out += [
                ReplyTemplate(str(r["name"]), str(r["text"])) for r in rows if r.get("name") and r.get("text")
            ]
        except (ValueError, KeyError, TypeError, AttributeError):
            pass
    return out


def save_reply_templates(templates: list[ReplyTemplate]) -> None:
    """Replace the administrators' own templates."""
    path = get_settings().data_dir / "reply_templates.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    rows = [{"name": t.name, "text": t.text} for t in templates]
    path.write_text(json.dumps(rows, ensure_ascii=False, indent=1), encoding="utf-8")
