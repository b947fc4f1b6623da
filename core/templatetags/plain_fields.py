"""Render a filter form's selects and text inputs straight to HTML.

Django renders each widget, and each <option>, through a template: about 1 ms per select.
List pages render a filter form on every request and must stay fast on a million rows,
so their simple widgets are written here instead; forms that are only shown on edit pages
keep the ordinary rendering.
"""

from django import forms, template
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

register = template.Library()


@register.filter
def plain_widget(bound_field):
    widget = bound_field.field.widget
    attrs = {**widget.attrs, "id": bound_field.id_for_label, "name": bound_field.html_name}
    value = bound_field.value()
    if isinstance(widget, forms.Select) and not widget.allow_multiple_selected:
        chosen = "" if value is None else str(value)
        options = format_html_join(
            "",
            '<option value="{}"{}>{}</option>',
            (
                (key, mark_safe(" selected") if str(key) == chosen else "", label)
                for key, label in widget.choices
            ),
        )
        return format_html("<select{}>{}</select>", flatatt(attrs), options)
    if isinstance(widget, forms.TextInput):
        if value not in (None, ""):
            attrs["value"] = str(value)
        return format_html('<input type="{}"{}>', widget.input_type, flatatt(attrs))
    return bound_field.as_widget()
