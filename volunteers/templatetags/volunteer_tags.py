"""Template filters of the volunteers pages."""

from django import template

from volunteers.selectors import masked_name

register = template.Library()


@register.filter
def beneficiary_name(wish) -> str:
    """The elder's name in full on the user's own wishes; masked (王**) on the wish wall."""
    name = wish.beneficiary.name
    return name if getattr(wish, "is_own", False) else masked_name(name)
