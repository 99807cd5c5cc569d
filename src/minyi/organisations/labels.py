"""Translatable labels of the organisations slice's codes, added to the page kit's label table."""

from __future__ import annotations

from minyi.locale import N_
from minyi.suggestions import labels as _suggestion_labels  # noqa: F401 - its groups first, then ours added to them
from minyi.web.labels import LABELS

LABELS.update({
    "organisation_kind": {
        "union": N_("工会"), "youth_league": N_("共青团"), "womens_federation": N_("妇联"), "disabled_federation": N_("残联"),
        "social_organisation": N_("社会组织"), "residents_committee": N_("居民委员会"), "villagers_committee": N_("村民委员会"),
        "expert_body": N_("专家咨询机构"), "media": N_("媒体"),
    },
    "consent_way": {"written": N_("书面同意"), "oral": N_("口头同意（已记录）"), "message": N_("短信或微信同意")},
})  # fmt: skip
for _group in ("action", "sg_action"):  # the flash after an invite or publication on the case or item page
    LABELS.setdefault(_group, {}).update(
        {"expert_invite": N_("已邀请专家"), "expert_publish": N_("已更新专家意见的公开")}
    )
