"""Small formatting filters for the mobilizing pages."""

from django import template

register = template.Library()


@register.filter
def pct(value) -> str:
    """A 0..1 rate as a whole percentage; a dash when there is no rate."""
    if value is None or value == "":
        return "—"
    return f"{round(float(value) * 100)}%"


@register.filter
def mean(value) -> str:
    """A mean with one decimal; a dash when nothing was measured."""
    if value is None or value == "":
        return "—"
    return f"{float(value):.1f}"


@register.filter
def signed(value) -> str:
    if value is None:
        return "—"
    return f"{float(value):+.1f}"


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if mapping else None
