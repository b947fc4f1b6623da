"""Forms of the outreach pages: groups, lecturers, talks, campaigns, publicity and the list filters."""

import re

from crispy_forms.helper import FormHelper
from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.scoping import visible_branches
from branches.models import Area, Branch
from cadres.forms import CadreLookupField, DateInput
from cadres.models import Cadre
from cadres.selectors import cadre_visible
from core.periods import parse_period
from core.trees import tree_choices
from outreach import scoping
from outreach.models import Campaign, LectureGroup, Lecturer, Publicity, TalkEvent, Topic, VenueType

_TOKEN_SEPARATORS = re.compile(r"[,，、;；\n]+")


def _helper():
    helper = FormHelper()
    helper.form_tag = False
    return helper


def _empty_choice(choices):
    return [("", "---------"), *choices]


class LecturerLookupField(forms.CharField):
    """Lecturers picked by typing names, full ID numbers or registry numbers (#123), separated by commas.

    Lecturers a bureau user may see run to the thousands: each name resolves within `queryset`
    (the lecturers the user may see), and namesakes are listed with their numbers.
    """

    widget = forms.TextInput

    def __init__(self, *, queryset=None, multiple=True, **kwargs):
        kwargs.setdefault("max_length", 600)
        kwargs.setdefault(
            "help_text",
            _("Names, full ID numbers or registry numbers such as #123, separated by commas.")
            if multiple
            else _("A name, a full ID number or a registry number such as #123."),
        )
        super().__init__(**kwargs)
        self.queryset = queryset
        self.multiple = multiple

    def prepare_value(self, value):
        if isinstance(value, Lecturer):
            value = [value]
        if isinstance(value, list | tuple) or hasattr(value, "model"):
            return ", ".join(
                f"{item.cadre.name} #{item.cadre_id}" if isinstance(item, Lecturer) else str(item)
                for item in value
            )
        return value

    def clean(self, value):
        text = (super().clean(value) or "").strip()
        tokens = [token.strip() for token in _TOKEN_SEPARATORS.split(text) if token.strip()]
        if not tokens:
            return [] if self.multiple else None
        if not self.multiple and len(tokens) > 1:
            raise forms.ValidationError(_("Name one lecturer here."))
        lookup = CadreLookupField(queryset=Cadre.objects.filter(lecturer__in=self.queryset), required=False)
        cadres, errors = [], []
        for token in tokens:
            try:
                cadres.append(lookup.clean(token))
            except forms.ValidationError as error:
                errors.extend(error.messages)
        if errors:
            raise forms.ValidationError(errors)
        by_cadre = {lecturer.cadre_id: lecturer for lecturer in self.queryset.filter(cadre__in=cadres)}
        lecturers = list({cadre.pk: by_cadre[cadre.pk] for cadre in cadres if cadre.pk in by_cadre}.values())
        return lecturers if self.multiple else lecturers[0]


# Lecture groups


class GroupForm(forms.ModelForm):
    class Meta:
        model = LectureGroup
        fields = ["name", "level", "area", "branch", "founded_on", "note"]
        widgets = {"founded_on": DateInput()}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        branches = visible_branches(user)
        self.fields["branch"].queryset = branches
        self.fields["branch"].widget.choices = tree_choices(
            branches,
            self.data.get("branch") or self.initial.get("branch") or self.instance.branch_id,
            levels=None,
        )
        self.fields["area"].widget.choices = tree_choices(
            Area.objects.all(), self.data.get("area") or self.instance.area_id, levels=None
        )
        self.helper = _helper()


class MembershipAddForm(forms.Form):
    lecturer = LecturerLookupField(label=_("lecturer"), multiple=False)
    joined_on = forms.DateField(label=_("joined on"), widget=DateInput())

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lecturer"].queryset = scoping.lecturers_visible(user)
        self.fields["joined_on"].initial = timezone.localdate()
        self.helper = _helper()

    def clean_lecturer(self):
        lecturer = self.cleaned_data["lecturer"]
        if lecturer is None:
            raise forms.ValidationError(_("Name the lecturer."))
        return lecturer


class MembershipEndForm(forms.Form):
    left_on = forms.DateField(label=_("left on"), widget=DateInput())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["left_on"].initial = timezone.localdate()
        self.helper = _helper()


class GroupFilterForm(forms.Form):
    q = forms.CharField(label=_("Name contains"), required=False, max_length=60)
    area = forms.ModelChoiceField(label=_("Area (and below)"), queryset=Area.objects.all(), required=False)
    branch = forms.ModelChoiceField(
        label=_("Branch (and below)"), queryset=Branch.objects.none(), required=False
    )
    on = forms.DateField(label=_("Existing on"), required=False, widget=DateInput())

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].widget.choices = tree_choices(Area.objects.all(), self.data.get("area"))
        self.fields["branch"].queryset = visible_branches(user)
        self.fields["branch"].widget.choices = tree_choices(visible_branches(user), self.data.get("branch"))

    def filter(self, groups):
        """Narrow `groups` by the valid filters; invalid ones are shown on the form and ignored."""
        if not self.is_valid():
            return groups
        data = self.cleaned_data
        if data.get("q", "").strip():
            groups = groups.filter(name__contains=data["q"].strip())
        if data.get("area"):
            groups = groups.filter(
                area__in=Area.objects.filter(path__startswith=data["area"].path).values("pk")
            )
        if data.get("branch"):
            groups = groups.filter(
                branch__in=Branch.objects.filter(path__startswith=data["branch"].path).values("pk")
            )
        if data.get("on"):
            # A group has no closing date: it exists from its founding on.
            groups = groups.filter(Q(founded_on__isnull=True) | Q(founded_on__lte=data["on"]))
        return groups


# Lecturers


class LecturerForm(forms.ModelForm):
    topics = forms.MultipleChoiceField(
        label=_("topics"), choices=Topic.choices, required=False, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = Lecturer
        fields = ["category", "topics", "availability", "is_active", "note"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper()

    def clean_topics(self):
        return list(self.cleaned_data.get("topics") or [])


class LecturerCreateForm(LecturerForm):
    cadre = CadreLookupField(label=_("cadre"))

    class Meta(LecturerForm.Meta):
        fields = ["cadre", "category", "topics", "availability", "is_active", "note"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        self.fields["cadre"].queryset = cadre_visible(user=user).filter(deceased_on__isnull=True)
        self.fields["category"].help_text = _("Leave empty to take the cadre's first five-elders tag.")


class LecturerFilterForm(forms.Form):
    q = forms.CharField(label=_("Name"), required=False, max_length=50)
    branch = forms.ModelChoiceField(
        label=_("Branch (and below)"), queryset=Branch.objects.none(), required=False
    )
    category = forms.ChoiceField(
        label=_("five elders category"), choices=_empty_choice(Cadre.FiveElders.choices), required=False
    )
    topic = forms.ChoiceField(label=_("topic"), choices=_empty_choice(Topic.choices), required=False)
    active = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("Active and inactive")), ("yes", _("Active only")), ("no", _("Inactive only"))],
    )
    area = forms.ModelChoiceField(label=_("Area (and below)"), queryset=Area.objects.all(), required=False)
    in_group_on = forms.DateField(label=_("In a lecture group on"), required=False, widget=DateInput())

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["branch"].queryset = visible_branches(user)
        self.fields["branch"].widget.choices = tree_choices(visible_branches(user), self.data.get("branch"))
        self.fields["area"].widget.choices = tree_choices(Area.objects.all(), self.data.get("area"))

    def filter(self, lecturers):
        """Narrow `lecturers` by the valid filters; invalid ones are shown on the form and ignored."""
        if not self.is_valid():
            return lecturers
        data = self.cleaned_data
        if data.get("q", "").strip():
            lecturers = lecturers.filter(cadre__name=data["q"].strip())
        if data.get("branch"):
            lecturers = lecturers.filter(
                cadre__branch__in=Branch.objects.filter(path__startswith=data["branch"].path).values("pk")
            )
        if data.get("category"):
            lecturers = lecturers.filter(category=data["category"])
        if data.get("topic"):
            # The codes are distinct words, so matching the quoted code in the JSON text is exact;
            # it works on SQLite, which has no JSON containment.
            lecturers = lecturers.filter(topics__icontains=f'"{data["topic"]}"')
        if data.get("active"):
            lecturers = lecturers.filter(is_active=data["active"] == "yes")
        if data.get("area"):
            # Where the lecturer lives.
            areas = Area.objects.filter(path__startswith=data["area"].path).values("pk")
            lecturers = lecturers.filter(cadre__area__in=areas)
        if data.get("in_group_on"):
            from outreach.selectors import lecturers_in_a_group_on

            lecturers = lecturers.filter(pk__in=lecturers_in_a_group_on(day=data["in_group_on"]))
        return lecturers


# Talks


class TalkGroupChoiceForm(forms.Form):
    """The first step of recording a talk: whose talk it is."""

    group = forms.ChoiceField(label=_("lecture group"), widget=forms.Select(attrs={"class": "form-select"}))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        groups = [(group.pk, group.name) for group in scoping.groups_visible(user).order_by("name", "id")]
        if user.is_bureau_wide:
            groups.append(("none", _("Without a group (lecturers named one by one)")))
        self.fields["group"].choices = groups


class TalkForm(forms.Form):
    """A talk's fields; the lecturers are ticked from the group's, or typed when there is no group."""

    held_on = forms.DateField(label=_("held on"), widget=DateInput())
    topic = forms.ChoiceField(label=_("topic"), choices=Topic.choices)
    title = forms.CharField(label=_("title"), max_length=200)
    venue_type = forms.ChoiceField(label=_("venue type"), choices=VenueType.choices)
    venue_name = forms.CharField(label=_("venue"), max_length=120, required=False)
    area = forms.ModelChoiceField(label=_("area"), queryset=Area.objects.all(), required=False)
    audience = forms.IntegerField(label=_("audience"), min_value=0, max_value=10_000_000)
    youth_audience = forms.IntegerField(
        label=_("young people in the audience"), min_value=0, max_value=10_000_000, initial=0
    )
    campaign = forms.ModelChoiceField(label=_("campaign"), queryset=Campaign.objects.none(), required=False)
    notes = forms.CharField(label=_("notes"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    field_order = ["lecturers", "held_on", "title", "topic"]

    def __init__(self, *args, user, group: LectureGroup | None, talk: TalkEvent | None = None, **kwargs):
        if talk is not None:
            kwargs.setdefault(
                "initial",
                {
                    **{name: getattr(talk, name) for name in ("held_on", "topic", "title", "venue_type")},
                    **{
                        name: getattr(talk, name)
                        for name in ("venue_name", "audience", "youth_audience", "notes")
                    },
                    "area": talk.area_id,
                    "campaign": talk.campaign_id,
                    "lecturers": list(talk.lecturers.all()),
                },
            )
        super().__init__(*args, **kwargs)
        if group is not None:
            from outreach.selectors import group_current_lecturers

            kept = [lecturer.pk for lecturer in talk.lecturers.all()] if talk is not None else []
            self.fields["lecturers"] = forms.ModelMultipleChoiceField(
                label=_("lecturers"),
                queryset=group_current_lecturers(group=group, include=kept),
                widget=forms.CheckboxSelectMultiple,
            )
            self.fields["lecturers"].label_from_instance = lambda lecturer: lecturer.cadre.name
            if talk is not None:
                self.initial["lecturers"] = kept
        else:
            self.fields["lecturers"] = LecturerLookupField(
                label=_("lecturers"), queryset=scoping.lecturers_visible(user)
            )
        self.order_fields(self.field_order)
        self.fields["held_on"].initial = timezone.localdate()
        self.fields["area"].widget.choices = tree_choices(
            Area.objects.all(), self.data.get("area") or self.initial.get("area"), levels=None
        )
        self.fields["campaign"].queryset = scoping.campaigns_visible(user).order_by("-starts_on", "id")
        self.helper = _helper()

    def talk_fields(self) -> dict:
        return dict(self.cleaned_data)


class TalkFilterForm(forms.Form):
    period = forms.CharField(label=_("Period"), required=False, help_text=_("2026-07, 2026-Q3 or 2026"))
    area = forms.ModelChoiceField(label=_("Area (and below)"), queryset=Area.objects.all(), required=False)
    branch = forms.ModelChoiceField(
        label=_("Branch (and below)"), queryset=Branch.objects.none(), required=False
    )
    group = forms.ModelChoiceField(
        label=_("lecture group"), queryset=LectureGroup.objects.none(), required=False
    )
    venue_type = forms.ChoiceField(
        label=_("venue type"), choices=_empty_choice(VenueType.choices), required=False
    )
    topic = forms.ChoiceField(label=_("topic"), choices=_empty_choice(Topic.choices), required=False)
    campaign = forms.ModelChoiceField(label=_("campaign"), queryset=Campaign.objects.none(), required=False)
    held_from = forms.DateField(label=_("Held from"), required=False, widget=DateInput())
    held_until = forms.DateField(label=_("Held until"), required=False, widget=DateInput())

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["period"].widget.attrs.update(placeholder="2026-07", autocomplete="off")
        self.fields["area"].widget.choices = tree_choices(Area.objects.all(), self.data.get("area"))
        self.fields["branch"].queryset = visible_branches(user)
        self.fields["branch"].widget.choices = tree_choices(visible_branches(user), self.data.get("branch"))
        groups = scoping.groups_visible(user).order_by("name", "id")
        self.fields["group"].queryset = groups
        self.fields["group"].widget.choices = _empty_choice(groups.values_list("pk", "name"))
        campaigns = scoping.campaigns_visible(user).order_by("-starts_on", "id")
        self.fields["campaign"].queryset = campaigns
        self.fields["campaign"].widget.choices = _empty_choice(campaigns.values_list("pk", "name"))

    def clean_period(self):
        text = self.cleaned_data.get("period", "").strip()
        if not text:
            return None
        try:
            return parse_period(text)
        except ValueError as error:
            raise forms.ValidationError(str(error)) from None

    def filter(self, talks):
        """Narrow `talks` by the valid filters; invalid ones are shown on the form and ignored."""
        if not self.is_valid():
            return talks
        data = self.cleaned_data
        if data.get("period"):
            talks = talks.filter(held_on__gte=data["period"].start, held_on__lt=data["period"].end)
        if data.get("area"):
            talks = talks.filter(
                area__in=Area.objects.filter(path__startswith=data["area"].path).values("pk")
            )
        if data.get("branch"):
            talks = talks.filter(
                group__branch__in=Branch.objects.filter(path__startswith=data["branch"].path).values("pk")
            )
        for name in ("group", "venue_type", "topic", "campaign"):
            if data.get(name):
                talks = talks.filter(**{name: data[name]})
        if data.get("held_from"):
            talks = talks.filter(held_on__gte=data["held_from"])
        if data.get("held_until"):
            talks = talks.filter(held_on__lte=data["held_until"])
        return talks


# Campaigns


class CampaignForm(forms.ModelForm):
    class Meta:
        model = Campaign
        fields = [
            "name",
            "starts_on",
            "ends_on",
            "area",
            "branch",
            "target_lecturers",
            "target_talks",
            "target_audience",
            "note",
        ]
        widgets = {"starts_on": DateInput(), "ends_on": DateInput()}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        branches = visible_branches(user)
        self.fields["branch"].queryset = branches
        self.fields["branch"].widget.choices = tree_choices(
            branches, self.data.get("branch") or self.instance.branch_id, levels=None
        )
        self.fields["area"].widget.choices = tree_choices(
            Area.objects.all(), self.data.get("area") or self.instance.area_id, levels=None
        )
        self.helper = _helper()


# Publicity


class PublicityForm(forms.ModelForm):
    cadre = CadreLookupField(label=_("cadre"), required=False, help_text=_("Either a cadre or a branch."))
    link = forms.URLField(label=_("link"), max_length=300, required=False, assume_scheme="https")

    class Meta:
        model = Publicity
        fields = ["title", "cadre", "branch", "outlet", "level", "published_on", "link"]
        widgets = {"published_on": DateInput()}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        branches = visible_branches(user)
        self.fields["cadre"].queryset = cadre_visible(user=user)
        self.fields["branch"].queryset = branches
        self.fields["branch"].widget.choices = tree_choices(
            branches, self.data.get("branch") or self.instance.branch_id, levels=None
        )
        if self.instance.cadre_id and not self.is_bound:
            self.initial["cadre"] = self.instance.cadre_id
        self.helper = _helper()


class PublicityFilterForm(forms.Form):
    period = forms.CharField(label=_("Period"), required=False, help_text=_("2026-07, 2026-Q3 or 2026"))
    level = forms.ChoiceField(
        label=_("level"), choices=_empty_choice(Publicity.Level.choices), required=False
    )
    q = forms.CharField(label=_("Title or outlet contains"), required=False, max_length=60)

    def clean_period(self):
        text = self.cleaned_data.get("period", "").strip()
        if not text:
            return None
        try:
            return parse_period(text)
        except ValueError as error:
            raise forms.ValidationError(str(error)) from None

    def filter(self, records):
        """Narrow `records` by the valid filters; invalid ones are shown on the form and ignored."""
        if not self.is_valid():
            return records
        data = self.cleaned_data
        if data.get("period"):
            records = records.filter(
                published_on__gte=data["period"].start, published_on__lt=data["period"].end
            )
        if data.get("level"):
            records = records.filter(level=data["level"])
        text = data.get("q", "").strip()
        if text:
            records = records.filter(Q(title__contains=text) | Q(outlet__contains=text))
        return records
