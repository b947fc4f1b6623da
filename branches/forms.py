from crispy_forms.helper import FormHelper
from django import forms
from django.utils.translation import gettext_lazy as _

from branches.models import Area, Branch, BranchOfficer
from cadres.forms import DateInput
from cadres.models import Cadre
from core.trees import tree_choices


class BranchForm(forms.ModelForm):
    class Meta:
        model = Branch
        fields = [
            "name",
            "kind",
            "area",
            "former_unit",
            "founded_on",
            "dissolved_on",
            "term_years",
            "liaison_name",
            "liaison_phone",
            "liaison_unit",
        ]
        widgets = {"founded_on": DateInput(), "dissolved_on": DateInput()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].widget.choices = tree_choices(
            Area.objects.all(), self.data.get("area") or self.initial.get("area"), levels=None
        )
        self.helper = FormHelper()
        self.helper.form_tag = False


class OfficerForm(forms.ModelForm):
    class Meta:
        model = BranchOfficer
        fields = ["cadre", "role", "term_start", "term_end"]
        widgets = {"term_start": DateInput(), "term_end": DateInput()}

    def __init__(self, *args, branch: Branch, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cadre"].queryset = Cadre.objects.filter(
            branch=branch, deceased_on__isnull=True
        ).order_by("name")
        self.fields["term_end"].required = False
        self.fields["term_end"].help_text = _("Leave empty for one full term of the branch.")
        self.helper = FormHelper()
        self.helper.form_tag = False


class BranchSearchForm(forms.Form):
    q = forms.CharField(label=_("Name contains"), required=False, max_length=60)
