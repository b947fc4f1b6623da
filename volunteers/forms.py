"""Forms of the volunteers pages. Every choice a form offers comes from volunteers.scoping, so an id
outside the user's scope is not a valid choice."""

import re

from crispy_forms.helper import FormHelper
from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.scoping import visible_branches
from branches.models import Area, Branch
from cadres.forms import CadreLookupField, DateInput
from core.forms import FilterForm, style_widgets
from core.images import MultiplePhotoField, PhotoField
from core.periods import parse_period
from core.trees import tree_choices
from volunteers import selectors
from volunteers.models import ChiefPost, MicroWish, PatrolArea, ServiceProject, ServiceRecord, VolunteerTeam
from volunteers.scoping import visible_patrol_areas, visible_teams, volunteer_cadres

# Up to this many posts a record form offers them in a select; beyond, the post is typed.
CHIEF_POST_SELECT_LIMIT = 200
PHOTO_HELP = _("JPEG or PNG, at most 10 MB each.")


def _helper():
    helper = FormHelper()
    helper.form_tag = False
    return helper


def _active_teams(user):
    return visible_teams(user).filter(dissolved_on__isnull=True)


def _team_field(form, name: str, teams, *, levels=None):
    form.fields[name].queryset = teams
    form.fields[name].widget.choices = tree_choices(
        teams, form.data.get(name) or form.initial.get(name), levels=levels
    )


def _area_field(form, name: str = "area", *, levels=None):
    form.fields[name].widget.choices = tree_choices(
        Area.objects.all(), form.data.get(name) or form.initial.get(name), levels=levels
    )


class PeriodField(forms.CharField):
    """A month (2026-07), a quarter (2026-Q3) or a year (2026), cleaned to a core.periods.Period."""

    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Period"))
        kwargs.setdefault("required", False)
        kwargs.setdefault("max_length", 10)
        kwargs.setdefault("help_text", _("2026-07, 2026-Q3 or 2026"))
        super().__init__(**kwargs)

    def clean(self, value):
        text = (super().clean(value) or "").strip()
        if not text:
            return None
        try:
            return parse_period(text)
        except ValueError as error:
            raise forms.ValidationError(str(error)) from None


class ChiefPostLookupField(forms.CharField):
    """A chief post picked by typing its patrol area's name or its number (#12), within `queryset`."""

    widget = forms.TextInput

    def __init__(self, *, queryset=None, **kwargs):
        kwargs.setdefault("max_length", 120)
        kwargs.setdefault("help_text", _("A river's, road's or grid's name, or a post number such as #12."))
        super().__init__(**kwargs)
        self.queryset = queryset

    def prepare_value(self, value):
        if isinstance(value, int) or (isinstance(value, str) and value.isdigit()):
            value = self.queryset.filter(pk=value).first() if self.queryset is not None else None
        if isinstance(value, ChiefPost):
            return f"{value} #{value.pk}"
        return value

    def clean(self, value):
        text = (super().clean(value) or "").strip()
        if not text:
            return None
        number = re.search(r"#\s*(\d{1,12})$", text) or re.fullmatch(r"(\d{1,12})", text)
        matches = (
            self.queryset.filter(pk=int(number[1]))
            if number
            else self.queryset.filter(patrol_area__name=text)
        )
        found = list(matches.select_related("cadre", "patrol_area")[:6])
        if not found:
            raise forms.ValidationError(
                _("No chief post you may record on matches %(text)s.") % {"text": text}
            )
        if len(found) > 1:
            listed = "; ".join(f"{post} #{post.pk}" for post in found[:5])
            raise forms.ValidationError(
                _("Several posts match %(text)s: %(listed)s. Type the one you mean with its number.")
                % {"text": text, "listed": listed}
            )
        return found[0]


# Teams, memberships, projects, patrol areas, chief posts ------------------------------------


class TeamForm(forms.ModelForm):
    leader = CadreLookupField(label=_("team leader"), required=False)

    class Meta:
        model = VolunteerTeam
        fields = ["name", "level", "area", "branch", "leader", "founded_on", "dissolved_on"]
        widgets = {"founded_on": DateInput(), "dissolved_on": DateInput()}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        _area_field(self)
        self.fields["branch"].queryset = visible_branches(user)
        self.fields["branch"].widget.choices = tree_choices(
            visible_branches(user), self.data.get("branch") or self.initial.get("branch"), levels=None
        )
        self.fields["leader"].queryset = volunteer_cadres(user)
        self.helper = _helper()


class MembershipForm(forms.Form):
    cadre = CadreLookupField(label=_("cadre"))
    joined_on = forms.DateField(label=_("joined on"), widget=DateInput())

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cadre"].queryset = volunteer_cadres(user)
        self.fields["joined_on"].initial = timezone.localdate()
        self.helper = _helper()


class MembershipEndForm(forms.Form):
    left_on = forms.DateField(label=_("left on"), widget=DateInput())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["left_on"].initial = timezone.localdate()
        self.helper = _helper()


class ProjectForm(forms.ModelForm):
    class Meta:
        model = ServiceProject
        fields = ["name", "team", "description", "started_on", "is_active"]
        widgets = {"started_on": DateInput(), "description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        _team_field(self, "team", visible_teams(user))
        self.helper = _helper()


class PatrolAreaForm(forms.ModelForm):
    class Meta:
        model = PatrolArea
        fields = ["kind", "name", "area", "description"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _area_field(self)
        self.helper = _helper()


class ChiefPostForm(forms.Form):
    cadre = CadreLookupField(label=_("cadre"))
    patrol_area = forms.ModelChoiceField(label=_("patrol area"), queryset=PatrolArea.objects.none())
    appointed_on = forms.DateField(label=_("appointed on"), widget=DateInput())
    team = forms.ModelChoiceField(
        label=_("volunteer team"), queryset=VolunteerTeam.objects.none(), required=False
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cadre"].queryset = volunteer_cadres(user)
        self.fields["patrol_area"].queryset = (
            visible_patrol_areas(user).select_related("area").order_by("kind", "name", "id")
        )
        self.fields["patrol_area"].label_from_instance = lambda area: f"{area} ({area.area.name})"
        _team_field(self, "team", _active_teams(user))
        self.fields["appointed_on"].initial = timezone.localdate()
        self.helper = _helper()


class ChiefPostUpdateForm(forms.ModelForm):
    class Meta:
        model = ChiefPost
        fields = ["appointed_on", "ended_on", "team"]
        widgets = {"appointed_on": DateInput(), "ended_on": DateInput()}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        teams = visible_teams(user).filter(Q(dissolved_on__isnull=True) | Q(pk=self.instance.team_id))
        _team_field(self, "team", teams)
        self.helper = _helper()


# Service records --------------------------------------------------------------------------


class ServiceRecordForm(forms.ModelForm):
    """A round of service on one phone screen: whose it was, what was done, and what it achieved."""

    SUBJECTS = [("chief_post", _("A chief's patrol")), ("team", _("A team's service"))]

    subject = forms.ChoiceField(label=_("Whose service"), choices=SUBJECTS, widget=forms.RadioSelect)

    class Meta:
        model = ServiceRecord
        fields = [
            "team",
            "chief_post",
            "project",
            "served_on",
            "kind",
            "hours",
            "volunteers_present",
            "people_served",
            "problems_found",
            "problems_resolved",
            "notes",
        ]
        widgets = {
            "served_on": DateInput(),
            "notes": forms.Textarea(attrs={"rows": 3}),
            "hours": forms.NumberInput(attrs={"step": "0.5", "inputmode": "decimal"}),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        instance = self.instance
        teams = visible_teams(user).filter(Q(dissolved_on__isnull=True) | Q(pk=instance.team_id))
        _team_field(self, "team", teams)
        posts = selectors.chief_posts_for_records(user=user)
        if instance.chief_post_id:
            # A post that has ended since stays selectable on the records made on it.
            posts = (
                selectors.chief_post_list(user=user)
                .filter(Q(ended_on__isnull=True) | Q(pk=instance.chief_post_id))
                .order_by("patrol_area__kind", "patrol_area__name", "id")
            )
        if posts.count() > CHIEF_POST_SELECT_LIMIT:
            self.fields["chief_post"] = ChiefPostLookupField(
                label=_("chief post"), queryset=posts, required=False
            )
        else:
            self.fields["chief_post"].queryset = posts
        self.fields["chief_post"].required = False
        self.fields["team"].required = False
        projects = selectors.project_list(user=user).filter(Q(is_active=True) | Q(pk=instance.project_id))
        self.fields["project"].queryset = projects
        self.fields["project"].label_from_instance = lambda project: f"{project.name} ({project.team.name})"
        for name in ("volunteers_present", "people_served", "problems_found", "problems_resolved"):
            self.fields[name].widget.attrs.update(inputmode="numeric", min=0)
        if not self.is_bound:
            self.initial.setdefault("served_on", timezone.localdate())
            self.initial.setdefault(
                "subject", "team" if instance.team_id or not posts.exists() else "chief_post"
            )

    def clean(self):
        cleaned = super().clean()
        subject = cleaned.get("subject")
        if subject == "team":
            cleaned["chief_post"] = None
            if not cleaned.get("team") and "team" not in self.errors:
                self.add_error("team", _("Choose the team that served."))
        elif subject == "chief_post":
            cleaned["team"] = None
            if not cleaned.get("chief_post") and "chief_post" not in self.errors:
                self.add_error("chief_post", _("Choose the chief post patrolled."))
        return cleaned

    def record_fields(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class ServiceRecordCreateForm(ServiceRecordForm):
    photos = MultiplePhotoField(label=_("Photos"), help_text=PHOTO_HELP)


# Micro-wishes -----------------------------------------------------------------------------


class WishForm(forms.Form):
    beneficiary = CadreLookupField(label=_("beneficiary"))
    wish = forms.CharField(label=_("wish"), max_length=200)
    details = forms.CharField(label=_("details"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    area = forms.ModelChoiceField(
        label=_("area"),
        queryset=Area.objects.all(),
        required=False,
        help_text=_("Where the wish is offered for claiming; by default where the elder lives."),
    )
    posted_on = forms.DateField(label=_("posted on"), widget=DateInput())

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["beneficiary"].queryset = volunteer_cadres(user).filter(deceased_on__isnull=True)
        _area_field(self)
        self.fields["posted_on"].initial = timezone.localdate()
        self.helper = _helper()


class WishClaimForm(forms.Form):
    """Who claims the wish: one of the user's branches, teams, or a volunteer they may name."""

    claimant_kind = forms.ChoiceField(label=_("Claimed by"), widget=forms.RadioSelect)
    team = forms.ModelChoiceField(
        label=_("volunteer team"), queryset=VolunteerTeam.objects.none(), required=False
    )
    branch = forms.ModelChoiceField(label=_("Party branch"), queryset=Branch.objects.none(), required=False)
    cadre = CadreLookupField(label=_("volunteer"), required=False)
    claimed_on = forms.DateField(label=_("claimed on"), widget=DateInput())

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        teams = _active_teams(user)
        branches = visible_branches(user).filter(dissolved_on__isnull=True)
        _team_field(self, "team", teams)
        self.fields["branch"].queryset = branches
        self.fields["branch"].widget.choices = tree_choices(branches, self.data.get("branch"), levels=None)
        self.fields["cadre"].queryset = volunteer_cadres(user).filter(deceased_on__isnull=True)
        kinds = [
            ("team", _("A volunteer team")),
            ("branch", _("A Party branch")),
            ("cadre", _("A volunteer")),
        ]
        if user.is_team_leader:
            kinds = [kind for kind in kinds if kind[0] != "branch"]
            self.fields.pop("branch")
        self.fields["claimant_kind"].choices = kinds
        self.fields["claimed_on"].initial = timezone.localdate()
        self.helper = _helper()
        if user.is_branch_secretary:
            self.initial.update(claimant_kind="branch", branch=user.branch_id)
        elif user.is_team_leader:
            self.initial.update(claimant_kind="team", team=user.volunteer_team_id)
        else:
            self.initial.setdefault("claimant_kind", "team")

    def clean(self):
        cleaned = super().clean()
        kind = cleaned.get("claimant_kind")
        for name in ("team", "branch", "cadre"):
            if name != kind:
                cleaned[name] = None
            elif name in self.fields and not cleaned.get(name) and name not in self.errors:
                self.add_error(name, _("Choose who claims the wish."))
        return cleaned

    def claimants(self) -> dict:
        return {name: self.cleaned_data.get(name) for name in ("team", "branch", "cadre")}


class WishFulfilForm(forms.Form):
    fulfilled_on = forms.DateField(label=_("fulfilled on"), widget=DateInput())
    feedback = forms.CharField(
        label=_("feedback"), required=False, widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )
    photo = PhotoField(label=_("photo"), required=False, help_text=_("JPEG or PNG, at most 10 MB."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["fulfilled_on"].initial = timezone.localdate()
        self.helper = _helper()


class WishWithdrawForm(forms.Form):
    reason = forms.CharField(label=_("reason for withdrawal"), max_length=200)
    withdrawn_on = forms.DateField(label=_("withdrawn on"), widget=DateInput())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["withdrawn_on"].initial = timezone.localdate()
        self.helper = _helper()


# Filters ----------------------------------------------------------------------------------


class _FilterForm(FilterForm):
    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        if "area" in self.fields:
            self.fields["area"].widget.choices = tree_choices(Area.objects.all(), self.data.get("area"))
        if "team" in self.fields:
            teams = visible_teams(user)
            self.fields["team"].queryset = teams
            self.fields["team"].widget.choices = tree_choices(teams, self.data.get("team"))
        if "branch" in self.fields:
            branches = visible_branches(user)
            if branches.query.is_empty():
                # A team leader sees no Party organisation: no branch to filter by.
                del self.fields["branch"]
            else:
                self.fields["branch"].queryset = branches
                self.fields["branch"].widget.choices = tree_choices(branches, self.data.get("branch"))
        style_widgets(self)


def _area_filter():
    return forms.ModelChoiceField(label=_("Area (and below)"), queryset=Area.objects.all(), required=False)


def _team_filter():
    return forms.ModelChoiceField(
        label=_("Team (and below)"), queryset=VolunteerTeam.objects.none(), required=False
    )


def _choice_filter(label, choices):
    return forms.ChoiceField(label=label, choices=[("", "---------"), *choices], required=False)


def _branch_filter(label=None):
    return forms.ModelChoiceField(
        label=label or _("Party branch (and below)"), queryset=Branch.objects.none(), required=False
    )


def _day_filter(label):
    return forms.DateField(label=label, required=False, widget=forms.DateInput(attrs={"type": "date"}))


class TeamFilterForm(_FilterForm):
    q = forms.CharField(label=_("Name contains"), required=False, max_length=60)
    level = _choice_filter(_("level"), VolunteerTeam.Level.choices)
    area = _area_filter()
    team = _team_filter()
    period = PeriodField(help_text="")
    branch = _branch_filter()
    on = _day_filter(_("Existing on"))

    def filter(self, teams):
        p = self.params()
        return selectors.filter_teams(
            teams,
            area=p.get("area"),
            root=p.get("team"),
            level=p.get("level", ""),
            period=p.get("period"),
            query=p.get("q", "").strip(),
            branch=p.get("branch"),
            on=p.get("on"),
        )


class ProjectFilterForm(_FilterForm):
    q = forms.CharField(label=_("Name contains"), required=False, max_length=60)
    team = _team_filter()
    active = _choice_filter(_("active"), [("yes", _("Active")), ("no", _("Ended"))])

    def filter(self, projects):
        p = self.params()
        if p.get("q", "").strip():
            projects = projects.filter(name__contains=p["q"].strip())
        if p.get("team"):
            projects = projects.filter(team__path__startswith=p["team"].path)
        if p.get("active"):
            projects = projects.filter(is_active=p["active"] == "yes")
        return projects


class PatrolAreaFilterForm(_FilterForm):
    q = forms.CharField(label=_("Name contains"), required=False, max_length=60)
    kind = _choice_filter(_("kind"), PatrolArea.Kind.choices)
    area = _area_filter()
    covered_on = _day_filter(_("With a chief on"))
    branch = _branch_filter(_("With a chief from (and below)"))

    def filter(self, patrol_areas):
        p = self.params()
        return selectors.filter_patrol_areas(
            patrol_areas,
            area=p.get("area"),
            kind=p.get("kind", ""),
            query=p.get("q", "").strip(),
            covered_on=p.get("covered_on"),
            branch=p.get("branch"),
        )


class ChiefPostFilterForm(_FilterForm):
    kind = _choice_filter(_("kind of post"), PatrolArea.Kind.choices)
    area = _area_filter()
    team = _team_filter()
    period = PeriodField(label=_("Held during"), help_text="")
    status = _choice_filter(_("status"), [("current", _("Held now")), ("ended", _("Ended"))])
    on = _day_filter(_("Held on"))
    branch = _branch_filter(_("Chiefs from (and below)"))

    def filter(self, posts):
        p = self.params()
        status = p.get("status")
        return selectors.filter_chief_posts(
            posts,
            area=p.get("area"),
            team=p.get("team"),
            kind=p.get("kind", ""),
            period=p.get("period"),
            current={"current": True, "ended": False}.get(status),
            branch=p.get("branch"),
            on=p.get("on"),
        )


class ServiceRecordFilterForm(_FilterForm):
    area = _area_filter()
    team = _team_filter()
    post_kind = _choice_filter(_("kind of post"), PatrolArea.Kind.choices)
    kind = _choice_filter(_("kind of service"), ServiceRecord.Kind.choices)
    period = PeriodField(help_text="")
    branch = _branch_filter()

    def filter(self, records):
        p = self.params()
        return selectors.filter_service_records(
            records,
            area=p.get("area"),
            team=p.get("team"),
            post_kind=p.get("post_kind", ""),
            kind=p.get("kind", ""),
            period=p.get("period"),
            branch=p.get("branch"),
        )


class WishFilterForm(_FilterForm):
    status = _choice_filter(_("status"), MicroWish.Status.choices)
    area = _area_filter()
    team = _team_filter()
    period = PeriodField(help_text="")
    dated = forms.ChoiceField(
        label=_("The period counts the date"),
        choices=[("posted", _("posted")), ("claimed", _("claimed")), ("fulfilled", _("fulfilled"))],
        required=False,
    )
    branch = _branch_filter()

    def filter(self, wishes):
        p = self.params()
        return selectors.filter_wishes(
            wishes,
            area=p.get("area"),
            team=p.get("team"),
            status=p.get("status", ""),
            period=p.get("period"),
            dated=p.get("dated") or "posted",
            branch=p.get("branch"),
        )


class SummaryForm(_FilterForm):
    period = PeriodField(help_text="")
    area = _area_filter()
    team = _team_filter()
