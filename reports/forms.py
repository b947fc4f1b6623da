"""Forms of the annual report: its year and scope, and the filters of the organisations list it links to."""

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from accounts.scoping import visible_branches
from branches.models import Area, Branch
from branches.records import BranchRating
from branches.selectors import existing_on
from core.forms import style_widgets
from core.trees import tree_choices

# The report's year select offers this many years back from the current one.
YEARS_OFFERED = 20


class AnnualReportForm(forms.Form):
    """The report's year and scope, kept in the URL. A branch the user may not see is an error."""

    year = forms.TypedChoiceField(label=_("Year"), coerce=int)
    branch = forms.ModelChoiceField(
        label=_("Party organisation (and below)"), queryset=Branch.objects.none(), required=False
    )
    area = forms.ModelChoiceField(label=_("Area (and below)"), queryset=Area.objects.all(), required=False)
    format = forms.ChoiceField(required=False, choices=[("", ""), ("xlsx", "xlsx"), ("csv", "csv")])

    def __init__(self, data, *, user):
        today = timezone.localdate()
        data = data.copy()
        # Staff write the summary of the year just closed; the year in progress is one choice away.
        data.setdefault("year", str(today.year - 1))
        if user.is_branch_secretary and user.branch_id and not data.get("branch"):
            data["branch"] = str(user.branch_id)
        super().__init__(data)
        self.user = user
        self.fields["year"].choices = [
            (year, _("%(year)s (to date)") % {"year": year} if year == today.year else year)
            for year in range(today.year, today.year - YEARS_OFFERED, -1)
        ]
        branches = visible_branches(user)
        self.fields["branch"].queryset = branches
        self.fields["branch"].widget.choices = tree_choices(branches, self.data.get("branch"))
        self.fields["area"].widget.choices = tree_choices(Area.objects.all(), self.data.get("area"))
        self.fields["format"].widget = forms.HiddenInput()
        style_widgets(self)


class OrganisationFilterForm(forms.Form):
    """Party organisations as the annual report counts them: existing on a day, founded in a year,
    of a kind, rated in a year (with so many stars)."""

    branch = forms.ModelChoiceField(
        label=_("Party organisation (and below)"), queryset=Branch.objects.none(), required=False
    )
    area = forms.ModelChoiceField(label=_("Area (and below)"), queryset=Area.objects.all(), required=False)
    kind = forms.ChoiceField(
        label=_("kind"), choices=[("", "---------"), *Branch.Kind.choices], required=False
    )
    on = forms.DateField(
        label=_("Existing on"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    founded = forms.IntegerField(label=_("Founded in"), required=False, min_value=1921, max_value=9999)
    rating_year = forms.IntegerField(label=_("Rated in"), required=False, min_value=1921, max_value=9999)
    stars = forms.TypedChoiceField(label=_("stars"), coerce=int, required=False, empty_value=None)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        branches = visible_branches(user)
        self.fields["branch"].queryset = branches
        self.fields["branch"].widget.choices = tree_choices(branches, self.data.get("branch"))
        self.fields["area"].widget.choices = tree_choices(Area.objects.all(), self.data.get("area"))
        self.fields["stars"].choices = [("", "---------")] + [
            (n, ngettext("%(stars)s star", "%(stars)s stars", n) % {"stars": n}) for n in range(1, 6)
        ]
        style_widgets(self)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("stars") and not cleaned.get("rating_year"):
            raise ValidationError(_("Give the year of the rating with the stars."))
        return cleaned

    def filter(self, branches: QuerySet[Branch]) -> QuerySet[Branch]:
        """Narrow `branches` by the valid filters; invalid ones are shown on the form and ignored."""
        if not self.is_valid():
            return branches
        data = self.cleaned_data
        if data.get("branch"):
            branches = branches.filter(path__startswith=data["branch"].path)
        if data.get("area"):
            branches = branches.filter(
                area__in=Area.objects.filter(path__startswith=data["area"].path).values("pk")
            )
        if data.get("kind"):
            branches = branches.filter(kind=data["kind"])
        if data.get("on"):
            branches = branches.filter(existing_on(data["on"]))
        if data.get("founded"):
            year = data["founded"]
            branches = branches.filter(founded_on__year=year)
        if data.get("rating_year"):
            ratings = BranchRating.objects.filter(year=data["rating_year"])
            if data.get("stars"):
                ratings = ratings.filter(stars=data["stars"])
            branches = branches.filter(pk__in=ratings.values("branch_id"))
        return branches
