import datetime as dt
from decimal import Decimal

from crispy_forms.helper import FormHelper
from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from branches.models import Activity, ActivityKind, Area, Attendance, Branch, BranchOfficer
from cadres.forms import DateInput
from cadres.models import Cadre
from core.images import MultiplePhotoField
from core.periods import parse_period
from core.trees import tree_choices

# A talk is linked to the branch activity it was given at, recorded soon after it.
LINKABLE_TALK_DAYS = 90


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


class ActivityFieldsForm(forms.ModelForm):
    """An activity's own fields with one status and leave-reason pair per member."""

    class Meta:
        model = Activity
        fields = [
            "kind",
            "held_on",
            "starts_at",
            "place",
            "topic",
            "presenter",
            "guest_count",
            "minutes",
            "service_project",
            "talk",
        ]
        widgets = {
            "held_on": DateInput(),
            "starts_at": forms.TimeInput(attrs={"type": "time"}),
            "minutes": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, user, members, recorded: dict[int, tuple[str, str]] | None = None, **kwargs):
        """`recorded` maps cadre ids to the (status, reason) already saved; others start present."""
        super().__init__(*args, **kwargs)
        self.members = list(members)
        recorded = recorded or {}
        self.fields["kind"].queryset = ActivityKind.objects.filter(is_active=True)
        self.fields["service_project"].queryset = linkable_projects(
            user=user, keep=self.instance.service_project_id
        )
        self.fields["talk"].queryset = linkable_talks(user=user, keep=self.instance.talk_id)
        for cadre in self.members:
            status, reason = recorded.get(cadre.pk, (Attendance.Status.PRESENT, ""))
            self.fields[f"status_{cadre.pk}"] = forms.ChoiceField(
                label=cadre.name, choices=Attendance.Status.choices, initial=status
            )
            self.fields[f"reason_{cadre.pk}"] = forms.ChoiceField(
                label=_("reason"),
                choices=[("", "---------"), *Attendance.LeaveReason.choices],
                required=False,
                initial=reason,
            )

    def link_fields(self):
        """The project and talk fields that have something to choose, for the template."""
        return [self[name] for name in ("service_project", "talk") if self.fields[name].queryset.exists()]

    def attendance_rows(self):
        """(cadre, status field, reason field) for the template, one per member."""
        return [(c, self[f"status_{c.pk}"], self[f"reason_{c.pk}"]) for c in self.members]

    def clean(self):
        cleaned = super().clean()
        for cadre in self.members:
            if cleaned.get(f"status_{cadre.pk}") == Attendance.Status.LEAVE and not cleaned.get(
                f"reason_{cadre.pk}"
            ):
                self.add_error(f"reason_{cadre.pk}", _("Give the reason for each member on leave."))
        return cleaned

    def attendance(self) -> dict[int, tuple[str, str]]:
        return {
            c.pk: (self.cleaned_data[f"status_{c.pk}"], self.cleaned_data.get(f"reason_{c.pk}") or "")
            for c in self.members
        }

    def activity_fields(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


def linkable_projects(*, user, keep=None):
    """Active volunteer projects `user` may see, and the one already linked (`keep`)."""
    from volunteers.models import ServiceProject
    from volunteers.scoping import scope_by_team

    projects = scope_by_team(user, ServiceProject.objects.all())
    return projects.filter(Q(is_active=True) | Q(pk=keep)).order_by("name", "id")


def linkable_talks(*, user, keep=None):
    """Talks `user` may see from the last LINKABLE_TALK_DAYS days, and the one already linked."""
    from outreach.scoping import talks_visible

    since = timezone.localdate() - dt.timedelta(days=LINKABLE_TALK_DAYS)
    return talks_visible(user).filter(Q(held_on__gte=since) | Q(pk=keep)).order_by("-held_on", "-id")


class ActivityForm(ActivityFieldsForm):
    """A new activity with the attendance of each current member and photos, on one page."""

    photos = MultiplePhotoField(label=_("Photos"), help_text=_("JPEG or PNG, at most 10 MB each."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["held_on"].initial = timezone.localdate()


class ActivityUpdateForm(ActivityFieldsForm):
    """A recorded activity and its attendance; `instance` is required."""

    def __init__(self, *args, attendance_rows, **kwargs):
        rows = list(attendance_rows)
        super().__init__(
            *args,
            members=[row.cadre for row in rows],
            recorded={row.cadre_id: (row.status, row.leave_reason) for row in rows},
            **kwargs,
        )
        # A retired kind stays selectable on the activities that already use it.
        self.fields["kind"].queryset = ActivityKind.objects.filter(
            Q(is_active=True) | Q(pk=self.instance.kind_id)
        )


class ActivityFilterForm(forms.Form):
    branch = forms.ModelChoiceField(
        label=_("Branch (and below)"), queryset=Branch.objects.none(), required=False
    )
    kind = forms.ModelChoiceField(label=_("kind"), queryset=ActivityKind.objects.all(), required=False)
    period = forms.CharField(label=_("Period"), required=False, help_text=_("2026-07, 2026-Q3 or 2026"))
    area = forms.ModelChoiceField(label=_("Area (and below)"), queryset=Area.objects.all(), required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        from accounts.scoping import visible_branches

        self.fields["branch"].queryset = visible_branches(user)
        self.fields["branch"].widget.choices = tree_choices(visible_branches(user), self.data.get("branch"))
        self.fields["area"].widget.choices = tree_choices(Area.objects.all(), self.data.get("area"))

    def clean_period(self):
        text = self.cleaned_data.get("period", "").strip()
        if not text:
            return None
        try:
            return parse_period(text)
        except ValueError as error:
            raise forms.ValidationError(str(error)) from None

    def filter(self, activities):
        """Narrow `activities` by the valid filters; invalid ones are shown on the form and ignored."""
        if not self.is_valid():
            return activities
        data = self.cleaned_data
        if data.get("branch"):
            subtree = Branch.objects.filter(path__startswith=data["branch"].path).values("pk")
            activities = activities.filter(branch__in=subtree)
        if data.get("kind"):
            activities = activities.filter(kind=data["kind"])
        if data.get("period"):
            activities = activities.filter(held_on__gte=data["period"].start, held_on__lt=data["period"].end)
        if data.get("area"):
            # Where the branch sits, as the annual report counts a district's activities.
            subtree = Area.objects.filter(path__startswith=data["area"].path).values("pk")
            activities = activities.filter(branch__area__in=subtree)
        return activities


class DuesForm(forms.Form):
    cadre = forms.ModelChoiceField(label=_("cadre"), queryset=None)
    kind = forms.ChoiceField(label=_("kind"))
    month = forms.DateField(
        label=_("month covered"),
        required=False,
        widget=forms.DateInput(attrs={"type": "month"}),
        input_formats=["%Y-%m", "%Y-%m-%d"],
        help_text=_("For monthly dues only."),
    )
    amount = forms.DecimalField(label=_("amount"), min_value=Decimal("0.01"), max_digits=10, decimal_places=2)
    paid_on = forms.DateField(label=_("paid on"), widget=DateInput())

    def __init__(self, *args, members, **kwargs):
        from branches.records import DuesPayment

        super().__init__(*args, **kwargs)
        self.fields["cadre"].queryset = members
        self.fields["kind"].choices = DuesPayment.Kind.choices
        self.fields["paid_on"].initial = timezone.localdate()
        self.helper = FormHelper()
        self.helper.form_tag = False

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("kind") == "monthly" and not cleaned.get("month"):
            self.add_error("month", _("Monthly dues cover a month: choose it."))
        if cleaned.get("kind") != "monthly":
            cleaned["month"] = None
        return cleaned
