import re

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Div, Fieldset, Layout, Submit
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.scoping import visible_branches
from branches.models import Area, Branch
from cadres.models import Cadre
from core import idcard
from core.trees import tree_choices

SENSITIVE_FIELDS = ["phone", "health_notes", "emergency_contact"]
ID_FIELDS = ["id_number", "birth_date", "sex"]


class CadreLookupField(forms.CharField):
    """A cadre picked by typing a name, a full ID number or a registry number (#123).

    A <select> of every cadre a bureau user may see would send a million options; a typed
    name resolves within `queryset` (what the user may see), and namesakes are listed with
    their numbers so the user can type the one they mean.
    """

    widget = forms.TextInput

    def __init__(self, *, queryset=None, **kwargs):
        kwargs.setdefault("max_length", 60)
        kwargs.setdefault("help_text", _("A name, a full ID number or a registry number such as #123."))
        super().__init__(**kwargs)
        self.queryset = queryset

    def prepare_value(self, value):
        if isinstance(value, int) or (isinstance(value, str) and value.isdigit()):
            value = self.queryset.filter(pk=value).only("name").first() if self.queryset is not None else None
        if isinstance(value, Cadre):
            return f"{value.name} #{value.pk}"
        return value

    def clean(self, value):
        text = (super().clean(value) or "").strip()
        if not text:
            return None
        number = re.search(r"#\s*(\d{1,12})$", text) or re.fullmatch(r"(\d{1,12})", text)
        if re.fullmatch(r"\d{17}[\dXx]", text):
            matches = self.queryset.filter(id_number=idcard.normalize(text))
        elif number:
            matches = self.queryset.filter(pk=int(number[1]))
        else:
            matches = self.queryset.filter(name=text)
        found = list(matches.select_related("branch").order_by("id")[:6])
        if not found:
            raise forms.ValidationError(
                _("No cadre you may see is named or numbered %(text)s.") % {"text": text}
            )
        if len(found) > 1:
            listed = "; ".join(
                f"{cadre.name} #{cadre.pk}" + (f" ({cadre.branch.name})" if cadre.branch_id else "")
                for cadre in found[:5]
            )
            raise forms.ValidationError(
                _("Several cadres match %(text)s: %(listed)s. Type the one you mean with its number.")
                % {"text": text, "listed": listed}
            )
        return found[0]


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


def _row(*names):
    return Div(*[Div(n, css_class="col-md") for n in names], css_class="row")


class CadreForm(forms.ModelForm):
    """Registry fields of a cadre. Fields the user may not see in full are left out, not masked,
    so a masked value can never be saved back over the real one."""

    five_elders = forms.MultipleChoiceField(
        label=_("Five elders"),
        choices=Cadre.FiveElders.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Cadre
        fields = [
            "name",
            "sex",
            "ethnicity",
            "id_number",
            "birth_date",
            "birthday_calendar",
            "retirement_type",
            "retired_on",
            "former_unit",
            "former_post",
            "rank",
            "party_join_date",
            "area",
            "address",
            "phone",
            "lives_elsewhere",
            "emergency_contact",
            "special_hardship",
            "five_elders",
            "health_notes",
            "deceased_on",
            "notes",
        ]
        widgets = {
            "birth_date": DateInput(),
            "retired_on": DateInput(),
            "party_join_date": DateInput(),
            "deceased_on": DateInput(),
            "health_notes": forms.Textarea(attrs={"rows": 3}),
            "notes": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        if self.instance.pk and not user.has_perm("cadres.view_full_id_number"):
            for name in ID_FIELDS:
                del self.fields[name]
        if not user.has_perm("cadres.view_sensitive_details"):
            for name in SENSITIVE_FIELDS:
                del self.fields[name]
        self.fields["area"].widget.choices = tree_choices(
            Area.objects.all(), self.data.get("area") or self.initial.get("area"), levels=None
        )
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(*self._fieldsets())

    def _fieldsets(self):
        def present(*names):
            return [n for n in names if n in self.fields]

        return [
            Fieldset(
                _("Identity"),
                _row(*present("name", "sex", "ethnicity")),
                _row(*present("id_number", "birth_date", "birthday_calendar")),
            ),
            Fieldset(
                _("Retirement"),
                _row(*present("retirement_type", "retired_on", "rank")),
                _row(*present("former_unit", "former_post")),
            ),
            Fieldset(_("Party"), _row(*present("party_join_date", "five_elders"))),
            Fieldset(
                _("Home and contact"),
                _row(*present("area", "address")),
                _row(*present("phone", "emergency_contact", "lives_elsewhere")),
            ),
            Fieldset(
                _("Care"),
                _row(*present("special_hardship", "deceased_on")),
                *present("health_notes", "notes"),
            ),
        ]

    def clean_five_elders(self):
        return list(self.cleaned_data.get("five_elders") or [])


class CadreCreateForm(CadreForm):
    branch = forms.ModelChoiceField(label=_("Branch"), queryset=Branch.objects.none())
    joined_on = forms.DateField(label=_("Joined the branch on"), widget=DateInput())

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        self.fields["branch"].queryset = visible_branches(user).filter(dissolved_on__isnull=True)
        self.fields["branch"].widget.choices = tree_choices(
            visible_branches(user).filter(dissolved_on__isnull=True),
            self.data.get("branch") or self.initial.get("branch"),
            levels=None,
        )
        self.fields["joined_on"].initial = timezone.localdate()
        self.helper.layout.insert(0, Fieldset(_("Branch"), _row("branch", "joined_on")))


class CadreTransferForm(forms.Form):
    branch = forms.ModelChoiceField(label=_("New branch"), queryset=Branch.objects.none())
    on = forms.DateField(label=_("Transfer date"), widget=DateInput())

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["branch"].queryset = visible_branches(user).filter(dissolved_on__isnull=True)
        self.fields["branch"].widget.choices = tree_choices(
            visible_branches(user).filter(dissolved_on__isnull=True), self.data.get("branch"), levels=None
        )
        self.fields["on"].initial = timezone.localdate()
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.add_input(Submit("submit", _("Transfer")))
