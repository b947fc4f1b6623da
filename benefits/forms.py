"""Forms of the care pages: occasions, visits, contact assignments and logs, and the list filters."""

from crispy_forms.helper import FormHelper
from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Role, User
from accounts.scoping import visible_branches
from benefits.models import VISIT_REASONS, CondolenceCampaign, ContactLog, MedalAward, Occasion
from branches.models import Area, Branch
from cadres.forms import CadreLookupField, DateInput
from cadres.selectors import cadre_visible
from core.images import MultiplePhotoField
from core.periods import parse_period
from core.trees import tree_choices


def _helper():
    helper = FormHelper()
    helper.form_tag = False
    return helper


def _empty_choice(choices):
    return [("", "---------"), *choices]


def _today():
    return timezone.localdate()


def assignable_staff(user):
    """Who `user` may make a contact: bureau staff, and secretaries of branches `user` may see."""
    return User.objects.filter(
        Q(role__in=[Role.BUREAU_ADMIN, Role.BUREAU_STAFF])
        | Q(role=Role.BRANCH_SECRETARY, branch__in=visible_branches(user).values("pk")),
        is_active=True,
    ).order_by("last_name", "first_name", "username")


# Occasions


class OccasionForm(forms.Form):
    cadre = CadreLookupField(label=_("cadre"))
    kind = forms.ChoiceField(label=_("kind"), choices=_empty_choice(Occasion.Kind.choices))
    occurred_on = forms.DateField(label=_("occurred on"), widget=DateInput(), initial=_today)
    note = forms.CharField(label=_("note"), max_length=300, required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cadre"].queryset = cadre_visible(user=user)
        self.helper = _helper()

    def clean_cadre(self):
        cadre = self.cleaned_data["cadre"]
        if cadre is None:
            raise forms.ValidationError(_("Name the cadre."))
        return cadre


class OccasionUpdateForm(forms.Form):
    """The occasion's details; its cadre stays. The note shows only to those who may read it."""

    kind = forms.ChoiceField(label=_("kind"), choices=Occasion.Kind.choices)
    occurred_on = forms.DateField(label=_("occurred on"), widget=DateInput())
    note = forms.CharField(label=_("note"), max_length=300, required=False)

    def __init__(self, *args, show_note: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if not show_note:
            del self.fields["note"]
        self.helper = _helper()


class _PeriodMixin:
    def clean_period(self):
        text = self.cleaned_data.get("period", "").strip()
        if not text:
            return None
        try:
            return parse_period(text)
        except ValueError as error:
            raise forms.ValidationError(str(error)) from error


class _ScopedFilterForm(_PeriodMixin, forms.Form):
    q = forms.CharField(label=_("Cadre name"), required=False, max_length=50)
    branch = forms.ModelChoiceField(
        label=_("Branch (and below)"), queryset=Branch.objects.none(), required=False
    )
    period = forms.CharField(label=_("Period"), required=False, help_text=_("2026-07, 2026-Q3 or 2026"))
    area = forms.ModelChoiceField(
        label=_("Lives in (area and below)"), queryset=Area.objects.all(), required=False
    )

    cadre_path = "cadre"
    date_field = ""

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        branches = visible_branches(user)
        self.fields["branch"].queryset = branches
        self.fields["branch"].widget.choices = tree_choices(branches, self.data.get("branch"))
        self.fields["area"].widget.choices = tree_choices(Area.objects.all(), self.data.get("area"))
        self.fields["period"].widget.attrs.update(placeholder="2026-07", autocomplete="off")

    def filter(self, rows):
        """Narrow `rows` by the valid filters; invalid ones are shown on the form and ignored."""
        if not self.is_valid():
            return rows
        data = self.cleaned_data
        if data.get("q", "").strip():
            rows = rows.filter(**{f"{self.cadre_path}__name__contains": data["q"].strip()})
        if data.get("branch"):
            subtree = Branch.objects.filter(path__startswith=data["branch"].path).values("pk")
            rows = rows.filter(**{f"{self.cadre_path}__branch__in": subtree})
        if data.get("area"):
            areas = Area.objects.filter(path__startswith=data["area"].path).values("pk")
            rows = rows.filter(**{f"{self.cadre_path}__area__in": areas})
        if data.get("period"):
            rows = rows.filter(
                **{
                    f"{self.date_field}__gte": data["period"].start,
                    f"{self.date_field}__lt": data["period"].end,
                }
            )
        return self.narrow(rows, data)

    def narrow(self, rows, data):
        return rows


class OccasionFilterForm(_ScopedFilterForm):
    STATUSES = [("due", _("Due")), ("overdue", _("Overdue")), ("closed", _("Closed (visited)"))]

    kind = forms.ChoiceField(label=_("kind"), choices=_empty_choice(Occasion.Kind.choices), required=False)
    status = forms.ChoiceField(label=_("Status"), choices=_empty_choice(STATUSES), required=False)

    date_field = "occurred_on"

    def narrow(self, rows, data):
        from benefits.selectors import occasion_filter_status

        if data.get("kind"):
            rows = rows.filter(kind=data["kind"])
        if data.get("status"):
            rows = occasion_filter_status(rows, status=data["status"], on=timezone.localdate())
        return rows


# Visits


class _VisitFieldsForm(forms.Form):
    visited_on = forms.DateField(label=_("visited on"), widget=DateInput(), initial=_today)
    visitors = forms.CharField(
        label=_("visitors"), max_length=300, help_text=_("Staff, branch members and leaders who went.")
    )
    gift = forms.CharField(label=_("gift"), max_length=200, required=False)
    condolence_money = forms.DecimalField(
        label=_("condolence money"), max_digits=10, decimal_places=2, required=False, min_value=0
    )
    notes = forms.CharField(label=_("notes"), widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def visit_fields(self) -> dict:
        return {
            name: self.cleaned_data[name]
            for name in ("visited_on", "visitors", "gift", "condolence_money", "notes")
        }


class VisitUpdateForm(_VisitFieldsForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper()


class OccasionVisitForm(_VisitFieldsForm):
    """The visit for an occasion: its cadre and reason are the occasion's."""

    photos = MultiplePhotoField(label=_("Photos"), help_text=_("JPEG or PNG, at most 10 MB each."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper()


class VisitForm(_VisitFieldsForm):
    cadre = CadreLookupField(label=_("cadre"))
    reason = forms.ChoiceField(label=_("reason"), choices=VISIT_REASONS, initial="routine")
    photos = MultiplePhotoField(label=_("Photos"), help_text=_("JPEG or PNG, at most 10 MB each."))

    field_order = ["cadre", "reason", "visited_on", "visitors", "gift", "condolence_money", "notes", "photos"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cadre"].queryset = cadre_visible(user=user)
        self.helper = _helper()

    def clean_cadre(self):
        cadre = self.cleaned_data["cadre"]
        if cadre is None:
            raise forms.ValidationError(_("Name the cadre."))
        return cadre

    def visit_fields(self) -> dict:
        return {
            **super().visit_fields(),
            "cadre": self.cleaned_data["cadre"],
            "reason": self.cleaned_data["reason"],
        }


class VisitFilterForm(_ScopedFilterForm):
    reason = forms.ChoiceField(label=_("reason"), choices=_empty_choice(VISIT_REASONS), required=False)

    date_field = "visited_on"

    def narrow(self, rows, data):
        if data.get("reason"):
            rows = rows.filter(reason=data["reason"])
        return rows


# One-to-one contact


class AssignmentForm(forms.Form):
    cadre = CadreLookupField(label=_("cadre"))
    staff = forms.ModelChoiceField(label=_("staff member"), queryset=User.objects.none())
    interval_days = forms.IntegerField(
        label=_("contact every (days)"), min_value=1, max_value=366, initial=30
    )
    started_on = forms.DateField(label=_("started on"), widget=DateInput(), initial=_today)
    note = forms.CharField(label=_("note"), max_length=300, required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cadre"].queryset = cadre_visible(user=user).filter(deceased_on__isnull=True)
        self.fields["staff"].queryset = assignable_staff(user)
        self.helper = _helper()

    def clean_cadre(self):
        cadre = self.cleaned_data["cadre"]
        if cadre is None:
            raise forms.ValidationError(_("Name the cadre."))
        return cadre


class AssignmentEndForm(forms.Form):
    ended_on = forms.DateField(label=_("ended on"), widget=DateInput(), initial=_today)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper()


class ContactLogForm(forms.Form):
    contacted_on = forms.DateField(label=_("contacted on"), widget=DateInput(), initial=_today)
    method = forms.ChoiceField(
        label=_("method"), choices=ContactLog.Method.choices, initial=ContactLog.Method.PHONE
    )
    note = forms.CharField(label=_("note"), max_length=300, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper()


class AssignmentFilterForm(_ScopedFilterForm):
    STATUSES = [("open", _("Open")), ("overdue", _("Contact overdue")), ("ended", _("Ended"))]

    status = forms.ChoiceField(label=_("Status"), choices=_empty_choice(STATUSES), required=False)

    date_field = "started_on"

    def narrow(self, rows, data):
        status = data.get("status")
        if status == "open":
            rows = rows.filter(ended_on__isnull=True)
        elif status == "ended":
            rows = rows.filter(ended_on__isnull=False)
        elif status == "overdue":
            rows = rows.filter(ended_on__isnull=True, contact_due_on__lt=timezone.localdate())
        return rows


class ContactLogFilterForm(_ScopedFilterForm):
    method = forms.ChoiceField(
        label=_("method"), choices=_empty_choice(ContactLog.Method.choices), required=False
    )

    cadre_path = "assignment__cadre"
    date_field = "contacted_on"

    def narrow(self, rows, data):
        if data.get("method"):
            rows = rows.filter(method=data["method"])
        return rows


# Condolence campaigns


class CampaignForm(forms.ModelForm):
    class Meta:
        model = CondolenceCampaign
        fields = [
            "name",
            "festival",
            "starts_on",
            "ends_on",
            "branch",
            "area",
            "retirement_type",
            "min_age",
            "max_age",
            "gift",
            "note",
        ]
        widgets = {"starts_on": DateInput(), "ends_on": DateInput()}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        branches = visible_branches(user)
        self.fields["branch"].queryset = branches
        self.fields["branch"].widget.choices = tree_choices(branches, self.data.get("branch"), levels=None)
        self.fields["area"].widget.choices = tree_choices(
            Area.objects.all(), self.data.get("area"), levels=None
        )
        self.helper = _helper()


class CampaignFilterForm(forms.Form):
    q = forms.CharField(label=_("Name contains"), required=False, max_length=60)
    festival = forms.ChoiceField(
        label=_("festival"), choices=_empty_choice(CondolenceCampaign.Festival.choices), required=False
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)

    def filter(self, campaigns):
        if not self.is_valid():
            return campaigns
        if self.cleaned_data.get("q", "").strip():
            campaigns = campaigns.filter(name__contains=self.cleaned_data["q"].strip())
        if self.cleaned_data.get("festival"):
            campaigns = campaigns.filter(festival=self.cleaned_data["festival"])
        return campaigns


class TargetFilterForm(forms.Form):
    STATUSES = [("pending", _("Not reached yet")), ("done", _("Reached"))]

    q = forms.CharField(label=_("Cadre name"), required=False, max_length=50)
    branch = forms.ModelChoiceField(
        label=_("Branch (and below)"), queryset=Branch.objects.none(), required=False
    )
    status = forms.ChoiceField(label=_("Status"), choices=_empty_choice(STATUSES), required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        branches = visible_branches(user)
        self.fields["branch"].queryset = branches
        self.fields["branch"].widget.choices = tree_choices(branches, self.data.get("branch"))

    def filter(self, targets):
        from benefits.selectors import target_filter_status

        if not self.is_valid():
            return targets
        data = self.cleaned_data
        if data.get("q", "").strip():
            targets = targets.filter(cadre__name__contains=data["q"].strip())
        if data.get("branch"):
            subtree = Branch.objects.filter(path__startswith=data["branch"].path).values("pk")
            targets = targets.filter(cadre__branch__in=subtree)
        if data.get("status"):
            targets = target_filter_status(targets, status=data["status"])
        return targets


class TargetTickForm(forms.Form):
    HOW = [("visit", _("Visited")), ("gift", _("Gift delivered without a visit"))]

    how = forms.ChoiceField(label=_("How"), choices=HOW, initial="visit", widget=forms.RadioSelect)
    on = forms.DateField(label=_("On"), widget=DateInput(), initial=_today)
    visitors = forms.CharField(
        label=_("visitors"), max_length=300, required=False, help_text=_("Needed for a visit.")
    )
    gift = forms.CharField(label=_("gift"), max_length=200, required=False)
    condolence_money = forms.DecimalField(
        label=_("condolence money"), max_digits=10, decimal_places=2, required=False, min_value=0
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper()

    def clean(self):
        data = super().clean()
        if data.get("how") == "visit" and not (data.get("visitors") or "").strip():
            self.add_error("visitors", _("Name who went."))
        return data

    def tick_fields(self) -> dict:
        data = self.cleaned_data
        return {
            "on": data["on"],
            "visited": data["how"] == "visit",
            "visitors": data["visitors"],
            "gift": data["gift"],
            "condolence_money": data["condolence_money"],
        }


# Health checks and sanatorium trips


class HealthCheckForm(forms.Form):
    cadre = CadreLookupField(label=_("cadre"))
    checked_on = forms.DateField(label=_("checked on"), widget=DateInput(), initial=_today)
    institution = forms.CharField(label=_("hospital or institution"), max_length=120)
    findings = forms.CharField(label=_("findings"), max_length=500, required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cadre"].queryset = cadre_visible(user=user)
        self.helper = _helper()

    def clean_cadre(self):
        cadre = self.cleaned_data["cadre"]
        if cadre is None:
            raise forms.ValidationError(_("Name the cadre."))
        return cadre


class HealthCheckFilterForm(_ScopedFilterForm):
    date_field = "checked_on"


class TripForm(forms.Form):
    name = forms.CharField(label=_("name"), max_length=120)
    destination = forms.CharField(label=_("destination"), max_length=120)
    starts_on = forms.DateField(label=_("starts on"), widget=DateInput())
    ends_on = forms.DateField(label=_("ends on"), widget=DateInput())
    quota = forms.IntegerField(label=_("quota"), min_value=1, max_value=10000)
    branch = forms.ModelChoiceField(
        label=_("branch"),
        queryset=Branch.objects.none(),
        required=False,
        help_text=_("Leave empty for a trip of the bureau itself."),
    )
    note = forms.CharField(label=_("note"), max_length=300, required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        branches = visible_branches(user)
        self.fields["branch"].queryset = branches
        self.fields["branch"].widget.choices = tree_choices(branches, self.data.get("branch"), levels=None)
        self.helper = _helper()


class ParticipantForm(forms.Form):
    cadre = CadreLookupField(label=_("cadre"))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cadre"].queryset = cadre_visible(user=user).filter(deceased_on__isnull=True)
        self.helper = _helper()

    def clean_cadre(self):
        cadre = self.cleaned_data["cadre"]
        if cadre is None:
            raise forms.ValidationError(_("Name the cadre."))
        return cadre


# Medals


class MedalForm(forms.Form):
    cadre = CadreLookupField(label=_("cadre"))
    kind = forms.ChoiceField(label=_("kind"), choices=MedalAward.Kind.choices)
    awarded_on = forms.DateField(label=_("awarded on"), widget=DateInput(), initial=_today)
    note = forms.CharField(label=_("note"), max_length=300, required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cadre"].queryset = cadre_visible(user=user)
        self.helper = _helper()

    def clean_cadre(self):
        cadre = self.cleaned_data["cadre"]
        if cadre is None:
            raise forms.ValidationError(_("Name the cadre."))
        return cadre


class MedalFilterForm(_ScopedFilterForm):
    kind = forms.ChoiceField(label=_("kind"), choices=_empty_choice(MedalAward.Kind.choices), required=False)

    date_field = "awarded_on"

    def narrow(self, rows, data):
        if data.get("kind"):
            rows = rows.filter(kind=data["kind"])
        return rows


class MedalDueForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100, required=False)

    def year_or(self, default: int) -> int:
        if self.is_valid() and self.cleaned_data.get("year"):
            return self.cleaned_data["year"]
        return default
