"""Households behind committees' group demands (联名) per region, for the public scoreboard and its CSV, beside the
per-department figure. A demand counts in the district (county-level region: the first six digits of the code)
where the case is, or, when the case names no region, where the committee that registered it is. Confidential
demands are left out (`access.counts_in_group_figures`)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from minyi.access import SEALED_FROM_GROUP_FIGURES
from minyi.cases.models import Case
from minyi.departments.models import Region
from minyi.organisations.models import Organisation, OrganisationCase

DISTRICT_DIGITS = 6  # province 2, city 4, county 6, street 9 digits: a street's demand counts in its district


@dataclass(frozen=True)
class RegionHouseholds:
    """One region's group demands and the households behind them (code None: no region given)."""

    code: str | None
    name: str | None
    group_demands: int
    households: int


def district_of(code: str | None) -> str | None:
    """The district a region code falls in (a city-level or shorter code stays as it is). Pure."""
    return code[:DISTRICT_DIGITS] if code and len(code) > DISTRICT_DIGITS else code


def households_by_region(session: Session, english: bool = False) -> list[RegionHouseholds]:
    """Group demands (households ≥ 2) and their households summed per district, most households first."""
    where = func.coalesce(Case.region_code, Organisation.region_code)
    grouped = session.execute(
        select(where, func.count(), func.sum(Case.households))
        .select_from(Case)
        .outerjoin(OrganisationCase, OrganisationCase.case_id == Case.id)
        .outerjoin(Organisation, Organisation.id == OrganisationCase.organisation_id)
        .where(Case.households >= 2, Case.visibility.not_in(SEALED_FROM_GROUP_FIGURES))
        .group_by(where)
    )
    totals: dict[str | None, list[int]] = {}
    for code, n, households in grouped:
        total = totals.setdefault(district_of(code), [0, 0])
        total[0] += int(n)
        total[1] += int(households or 0)
    codes = [c for c in totals if c is not None]
    names = {
        r.code: (r.name_en if english and r.name_en else r.name)
        for r in session.scalars(select(Region).where(Region.code.in_(codes)))
    } if codes else {}  # fmt: skip
    rows = [RegionHouseholds(c, names.get(c) if c else None, n, h) for c, (n, h) in totals.items()]
    return sorted(rows, key=lambda r: (-r.households, r.code or "~"))
