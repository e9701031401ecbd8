"""The figures a control chart needs, from a metric, its watch and its flags."""

from learning.models import Metric


def control_chart_data(metric: Metric, flags) -> dict:
    """Series, the sustained level and limits, baseline, target and the flagged dates."""
    points = list(metric.measurements.order_by("period").values_list("period", "value"))
    watch = getattr(metric, "watch", None)
    flagged = {f.fired_on.isoformat() for f in flags} | {f.slide_began.isoformat() for f in flags}
    return {
        "labels": [p.isoformat() for p, _ in points],
        "values": [v for _, v in points],
        "flagged": sorted(flagged),
        "baseline": metric.baseline,
        "target": metric.target,
        "hold_from": metric.hold_from.isoformat() if metric.hold_from else None,
        "level": getattr(watch, "level", None),
        "lower_limit": getattr(watch, "lower_limit", None),
        "upper_limit": getattr(watch, "upper_limit", None),
        "status": getattr(watch, "status", "") or "not checked yet",
        "reason": getattr(watch, "reason", ""),
        "unit": metric.unit,
        "direction": metric.direction,
    }
