from django import forms
from django.core.exceptions import ValidationError


def add_service_errors(form, error: ValidationError) -> None:
    """Show a service's ValidationError on the form, beside the fields it names where they exist."""
    if hasattr(error, "error_dict"):
        for field, field_errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, field_errors)
    else:
        form.add_error(None, error.messages)


def style_widgets(form) -> None:
    """Plain Bootstrap classes on every field's widget, for forms rendered by hand (lists'
    filters: crispy is too slow for a page that must stay fast on a million rows)."""
    for field in form.fields.values():
        field.widget.attrs["class"] = (
            "form-select" if isinstance(field.widget, forms.Select) else "form-control"
        )


class FilterForm(forms.Form):
    """A list's filters, kept in the URL; an invalid one shows its error and is ignored."""

    def params(self) -> dict:
        """The valid filters, each field on its own: one bad value does not drop the good ones."""
        self.is_valid()
        return {name: value for name, value in self.cleaned_data.items() if value not in (None, "")}
