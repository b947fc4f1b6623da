from django import forms
from django.utils.translation import gettext_lazy as _

from reminders.models import Reminder


class InboxFilterForm(forms.Form):
    STATUS_CHOICES = [("open", _("Open")), ("done", _("Done")), ("all", _("All"))]

    rule = forms.ChoiceField(
        label=_("rule"), choices=[("", _("All rules"))] + Reminder.Rule.choices, required=False
    )
    status = forms.ChoiceField(label=_("status"), choices=STATUS_CHOICES, required=False)
