"""Financial return: investment against benefit, counting a benefit only where it held.

A benefit that rests on a KPI counts only while that KPI has no active relapse flag:
a gain that slid back is not a gain. A benefit with no supporting KPI is shown but
not counted, because nothing shows it held.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from realigning.models import ACTIVE_FLAG_STATUSES, EntryKind, FinancialEntry, RelapseFlag

ZERO = Decimal("0")


@dataclass
class Return:
    investment: Decimal = ZERO
    benefit_claimed: Decimal = ZERO
    benefit_counted: Decimal = ZERO
    payback_date: date | None = None
    withheld: list[str] = field(default_factory=list)  # why some benefit did not count

    @property
    def roi(self) -> float | None:
        """(counted benefit - investment) / investment; None before any investment."""
        if not self.investment:
            return None
        return float((self.benefit_counted - self.investment) / self.investment)

    @property
    def roi_percent(self) -> float | None:
        return None if self.roi is None else round(100 * self.roi, 1)


def returns_for(initiative_ids: list[int]) -> dict[int, Return]:
    """The return of each initiative, in two queries for the whole list."""
    entries = FinancialEntry.objects.filter(initiative_id__in=initiative_ids).select_related(
        "supporting_metric"
    )
    relapsed = set(
        RelapseFlag.objects.filter(
            metric__initiative_id__in=initiative_ids, status__in=ACTIVE_FLAG_STATUSES
        ).values_list("metric_id", flat=True)
    )
    grouped: dict[int, list[FinancialEntry]] = defaultdict(list)
    for entry in entries:
        grouped[entry.initiative_id].append(entry)
    return {pk: _return(grouped.get(pk, []), relapsed) for pk in initiative_ids}


def _return(entries: list[FinancialEntry], relapsed: set[int]) -> Return:
    result = Return()
    balance = ZERO
    for entry in sorted(entries, key=lambda e: (e.date, e.pk)):
        if entry.kind == EntryKind.INVESTMENT:
            result.investment += entry.amount
            balance -= entry.amount
            continue
        result.benefit_claimed += entry.amount
        if entry.supporting_metric_id is None:
            result.withheld.append(f"{entry.amount} on {entry.date}: no supporting KPI")
            continue
        if entry.supporting_metric_id in relapsed:
            result.withheld.append(
                f"{entry.amount} on {entry.date}: {entry.supporting_metric.name} has relapsed"
            )
            continue
        result.benefit_counted += entry.amount
        balance += entry.amount
        if result.payback_date is None and result.investment and balance >= 0:
            result.payback_date = entry.date
    return result


def portfolio_return(initiative_ids: list[int]) -> Return:
    total = Return()
    for r in returns_for(initiative_ids).values():
        total.investment += r.investment
        total.benefit_claimed += r.benefit_claimed
        total.benefit_counted += r.benefit_counted
    return total
