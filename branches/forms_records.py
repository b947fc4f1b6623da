"""Forms of the branch records pages: ratings, commendations, alliances, studios."""

from crispy_forms.helper import FormHelper
from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext, pgettext_lazy

from accounts.scoping import visible_branches
from branches.models import Area, Branch
from branches.records import BranchRating, Commendation, Studio
from cadres.forms import CadreLookupField, DateInput
from cadres.selectors import cadre_visible
from core.trees import tree_choices

FIRST_YEAR = 1949


def _helper():
    helper = FormHelper()
    helper.form_tag = False
    return helper


class _YearField(forms.IntegerField):
    """A year from 1949 to next year."""

    def __init__(self, **kwargs):
        super().__init__(min_value=FIRST_YEAR, **kwargs)

    def clean(self, value):
        year = super().clean(value)
        if year is not None and year > timezone.localdate().year + 1:
            raise forms.ValidationError(_("Give a year no later than next year."))
        return year


class RatingForm(forms.Form):
    year = _YearField(label=_("year"))
    stars = forms.TypedChoiceField(label=_("stars"), coerce=int, widget=forms.RadioSelect)
    titles = forms.MultipleChoiceField(
        label=_("titles"),
        choices=BranchRating.Title.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    note = forms.CharField(label=_("note"), max_length=200, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["stars"].choices = [
            (n, ngettext("%(stars)s star", "%(stars)s stars", n) % {"stars": n}) for n in range(1, 6)
        ]
        self.helper = _helper()


class CommendationForm(forms.Form):
    """A commendation of a branch or a cadre; both lists hold only what the user may see."""

    year = _YearField(label=_("year"))
    kind = forms.ChoiceField(label=_("kind"), choices=Commendation.Kind.choices)
    title = forms.CharField(label=_("title"), max_length=200)
    branch = forms.ModelChoiceField(
        label=_("branch"),
        queryset=Branch.objects.none(),
        required=False,
        help_text=_("For a model branch commendation."),
    )
    cadre = CadreLookupField(
        label=_("cadre"),
        required=False,
        help_text=_(
            "For an excellent secretary or member: a name, a full ID number or a number such as #123."
        ),
    )
    issuing_body = forms.CharField(label=_("issued by"), max_length=120, required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].initial = timezone.localdate().year
        self.fields["branch"].queryset = visible_branches(user)
        self.fields["branch"].widget.choices = tree_choices(
            visible_branches(user), self.data.get("branch"), levels=None
        )
        self.fields["cadre"].queryset = cadre_visible(user=user)
        self.helper = _helper()


class AllianceForm(forms.Form):
    name = forms.CharField(label=pgettext_lazy("organisation", "name"), max_length=120)
    branches = forms.ModelMultipleChoiceField(
        label=_("branches"),
        queryset=Branch.objects.none(),
        widget=forms.SelectMultiple(attrs={"size": 12}),
        help_text=_("Choose two or more."),
    )
    founded_on = forms.DateField(label=_("founded on"), widget=DateInput())
    note = forms.CharField(label=_("note"), max_length=200, required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["branches"].queryset = visible_branches(user)
        # Alliances pair branches deep in the tree: list every level, without the empty choice.
        self.fields["branches"].widget.choices = tree_choices(visible_branches(user), levels=None)[1:]
        self.fields["founded_on"].initial = timezone.localdate()
        self.helper = _helper()


class StudioForm(forms.ModelForm):
    run_by = CadreLookupField(label=_("run by"), required=False)

    class Meta:
        model = Studio
        fields = ["name", "area", "community", "run_by", "founded_on", "note"]
        widgets = {"founded_on": DateInput()}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].widget.choices = tree_choices(
            Area.objects.all(), self.data.get("area") or self.initial.get("area"), levels=None
        )
        self.fields["run_by"].queryset = cadre_visible(user=user)
        self.helper = _helper()


class CommendationFilterForm(forms.Form):
    year = forms.IntegerField(label=_("year"), required=False, min_value=FIRST_YEAR, max_value=9999)
    kind = forms.ChoiceField(
        label=_("kind"), choices=[("", "---------"), *Commendation.Kind.choices], required=False
    )
    branch = forms.ModelChoiceField(
        label=_("Branch (and below)"), queryset=Branch.objects.none(), required=False
    )
    area = forms.ModelChoiceField(label=_("Area (and below)"), queryset=Area.objects.all(), required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["branch"].queryset = visible_branches(user)
        self.fields["branch"].widget.choices = tree_choices(visible_branches(user), self.data.get("branch"))
        self.fields["area"].widget.choices = tree_choices(Area.objects.all(), self.data.get("area"))

    def filter(self, commendations):
        """Narrow `commendations` by the valid filters; invalid ones are shown on the form and ignored."""
        if not self.is_valid():
            return commendations
        data = self.cleaned_data
        if data.get("year"):
            commendations = commendations.filter(year=data["year"])
        if data.get("kind"):
            commendations = commendations.filter(kind=data["kind"])
        if data.get("branch"):
            subtree = Branch.objects.filter(path__startswith=data["branch"].path).values("pk")
            # A member's commendation belongs under the branch they are in now.
            commendations = commendations.filter(Q(branch__in=subtree) | Q(cadre__branch__in=subtree))
        if data.get("area"):
            # A branch's commendation by where the branch sits, a member's by where they live.
            areas = Area.objects.filter(path__startswith=data["area"].path).values("pk")
            commendations = commendations.filter(Q(branch__area__in=areas) | Q(cadre__area__in=areas))
        return commendations


class StudioFilterForm(forms.Form):
    area = forms.ModelChoiceField(label=_("Area (and below)"), queryset=Area.objects.all(), required=False)
    q = forms.CharField(label=_("Name contains"), required=False, max_length=60)
    branch = forms.ModelChoiceField(
        label=_("Run by a member of (and below)"), queryset=Branch.objects.none(), required=False
    )
    on = forms.DateField(
        label=_("Existing on"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].widget.choices = tree_choices(Area.objects.all(), self.data.get("area"))
        if user is None:
            self.fields.pop("branch")
        else:
            self.fields["branch"].queryset = visible_branches(user)
            self.fields["branch"].widget.choices = tree_choices(
                visible_branches(user), self.data.get("branch")
            )

    def filter(self, studios):
        """Narrow `studios` by the valid filters; invalid ones are shown on the form and ignored."""
        if not self.is_valid():
            return studios
        data = self.cleaned_data
        if data.get("area"):
            subtree = Area.objects.filter(path__startswith=data["area"].path).values("pk")
            studios = studios.filter(area__in=subtree)
        if data.get("q", "").strip():
            studios = studios.filter(name__contains=data["q"].strip())
        if data.get("branch"):
            subtree = Branch.objects.filter(path__startswith=data["branch"].path).values("pk")
            studios = studios.filter(run_by__branch__in=subtree)
        if data.get("on"):
            # A studio has no closing date: it exists from its founding on.
            studios = studios.filter(Q(founded_on__isnull=True) | Q(founded_on__lte=data["on"]))
        return studios
