"""How the annual report writes its figures: thousands grouped, rates with one decimal, changes signed."""

from decimal import Decimal

from django import template
from django.contrib.humanize.templatetags.humanize import intcomma

from reports.selectors_annual import RATE

register = template.Library()
NONE = "—"


def _plain(value, measure: str) -> str:
    if isinstance(value, int):
        return intcomma(value)
    if isinstance(value, Decimal | float):
        text = intcomma(f"{value:.1f}")
        return text.removesuffix(".0") if measure != RATE else text
    return str(value)


@register.filter
def figure_value(value, measure: str = "") -> str:
    """A figure's value: "1,234", "12.5%" for a rate, "—" for none."""
    if value is None:
        return NONE
    text = _plain(value, measure)
    return f"{text}%" if measure == RATE else text


@register.filter
def figure_change(figure) -> str:
    """The change on last year, signed: "+12 (+5.0%)", "−3", "±0"; a rate changes by points."""
    change = figure.change
    if change is None:
        return NONE
    if not change:
        return "±0"
    sign = "+" if change > 0 else "−"
    text = sign + _plain(abs(change), figure.measure)
    if figure.measure == RATE:
        return text
    if figure.change_percent is not None:
        text += f" ({'+' if figure.change_percent > 0 else '−'}{abs(figure.change_percent):.1f}%)"
    return text
