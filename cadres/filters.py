"""The cadre list's filters, kept in the URL."""

import re

import django_filters
from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.scoping import visible_branches
from branches.models import Area, Branch
from cadres.models import Cadre
from core import idcard
from core.collation import Codepoint
from core.dates import birth_range_for_ages
from core.forms import style_widgets
from core.periods import parse_period
from core.trees import tree_choices

AGE_BANDS = {
    "under_70": (None, 70),
    "70_79": (70, 80),
    "80_89": (80, 90),
    "90_99": (90, 100),
    "100_plus": (100, None),
}
AGE_BAND_CHOICES = [
    ("under_70", _("Under 70")),
    ("70_79", _("70 to 79")),
    ("80_89", _("80 to 89")),
    ("90_99", _("90 to 99")),
    ("100_plus", _("100 and over")),
]
STATUS_CHOICES = [("living", _("Living")), ("deceased", _("Deceased")), ("all", _("All"))]
_ID_LIKE = re.compile(r"^[0-9]{17}[0-9Xx]$")


class _PeriodField(forms.CharField):
    """A month (2026-07), a quarter (2026-Q3) or a year (2026), cleaned to a core.periods.Period."""

    def clean(self, value):
        text = (super().clean(value) or "").strip()
        if not text:
            return None
        try:
            return parse_period(text)
        except ValueError as error:
            raise forms.ValidationError(str(error)) from None


class PeriodFilter(django_filters.Filter):
    field_class = _PeriodField


class YearFilter(django_filters.Filter):
    field_class = forms.IntegerField


class CadreFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="filter_q", label=_("Name or ID number"))
    branch = django_filters.ModelChoiceFilter(
        queryset=Branch.objects.none(), method="filter_branch", label=_("Branch (and below)")
    )
    area = django_filters.ModelChoiceFilter(
        queryset=Area.objects.all(), method="filter_area", label=_("Area")
    )
    retirement_type = django_filters.ChoiceFilter(
        choices=Cadre.RetirementType.choices, label=_("Retirement type")
    )
    age_band = django_filters.ChoiceFilter(choices=AGE_BAND_CHOICES, method="filter_age_band", label=_("Age"))
    party_member = django_filters.BooleanFilter(
        field_name="party_join_date",
        lookup_expr="isnull",
        exclude=True,
        label=_("Party member"),
        widget=forms.Select(choices=[("", "---------"), ("true", _("Yes")), ("false", _("No"))]),
    )
    status = django_filters.ChoiceFilter(
        choices=STATUS_CHOICES, method="filter_status", label=_("Status"), empty_label=None
    )
    # The annual report's drill-downs: members as the branch tree stood on a day, people visited.
    member_on = django_filters.DateFilter(
        method="filter_member_on",
        label=_("Branch member on"),
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    visited = PeriodFilter(method="filter_visited", label=_("Visited in"))
    enrolled = YearFilter(
        method="filter_enrolled", label=_("Senior-university student in"), min_value=1949, max_value=2200
    )

    class Meta:
        model = Cadre
        fields = [
            "q",
            "branch",
            "area",
            "retirement_type",
            "age_band",
            "party_member",
            "status",
            "member_on",
            "visited",
            "enrolled",
        ]

    def __init__(self, data=None, *args, **kwargs):
        data = data.copy() if data is not None else {}
        data.setdefault("status", "living")
        super().__init__(data, *args, **kwargs)
        self.filters["branch"].queryset = visible_branches(self.request.user)
        self.form.fields["branch"].widget.choices = tree_choices(
            visible_branches(self.request.user), self.data.get("branch")
        )
        self.form.fields["area"].widget.choices = tree_choices(Area.objects.all(), self.data.get("area"))
        style_widgets(self.form)

    def filter_q(self, queryset, name, value):
        value = idcard.normalize(value)
        if not value:
            return queryset
        if _ID_LIKE.match(value):
            return queryset.filter(id_number=value)
        # Matches come in name order, the order of the code-point index that finds them.
        return (
            queryset.alias(name_order=Codepoint("name"))
            .filter(name_order__startswith=value)
            .order_by("name_order", "id")
        )

    def filter_branch(self, queryset, name, branch):
        if self.form.cleaned_data.get("member_on"):
            # With a day given, the branch is the one they belonged to that day (filter_member_on).
            return queryset
        # An IN over the subtree's ids plans faster than a join on the path.
        return queryset.filter(branch__in=Branch.objects.filter(path__startswith=branch.path).values("pk"))

    def filter_member_on(self, queryset, name, day):
        """Cadres alive on `day` with a branch membership open that day (in the chosen branch's subtree)."""
        from branches.selectors import memberships_open_on

        memberships = memberships_open_on(day=day)
        branch = self.form.cleaned_data.get("branch")
        if branch is not None:
            memberships = memberships.filter(branch__path__startswith=branch.path)
        return queryset.filter(
            Q(deceased_on__isnull=True) | Q(deceased_on__gt=day),
            pk__in=memberships.values("cadre_id"),
        )

    def filter_visited(self, queryset, name, period):
        from benefits.models import Visit

        visits = Visit.objects.filter(visited_on__gte=period.start, visited_on__lt=period.end)
        return queryset.filter(pk__in=visits.values("cadre_id"))

    def filter_enrolled(self, queryset, name, year):
        from education.selectors import cadres_enrolled_in

        return queryset.filter(pk__in=cadres_enrolled_in(year=year))

    def filter_area(self, queryset, name, area):
        return queryset.filter(area__in=Area.objects.filter(path__startswith=area.path).values("pk"))

    def filter_age_band(self, queryset, name, value):
        low, high = AGE_BANDS[value]
        today = timezone.localdate()
        return queryset.filter(
            **{f"birth_date__{k}": v for k, v in birth_range_for_ages(today, low, high).items()}
        )

    def filter_status(self, queryset, name, value):
        if value == "living":
            return queryset.filter(deceased_on__isnull=True)
        if value == "deceased":
            return queryset.filter(deceased_on__isnull=False)
        return queryset
