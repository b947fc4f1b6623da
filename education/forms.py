"""Forms of the senior-university pages: schools, courses, enrolling and withdrawing, the list filters."""

from crispy_forms.helper import FormHelper
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.scoping import visible_branches
from branches.models import Area, Branch
from cadres.forms import CadreLookupField, DateInput
from cadres.selectors import cadre_visible
from core.forms import FilterForm, style_widgets
from core.trees import tree_choices
from education import scoping, selectors
from education.models import Course, SeniorSchool, Subject

YEAR_MIN, YEAR_MAX = 1949, 2200


def _helper():
    helper = FormHelper()
    helper.form_tag = False
    return helper


def _empty_choice(choices):
    return [("", "---------"), *choices]


def _school_label(school: SeniorSchool) -> str:
    return school.name


# Schools


class SchoolForm(forms.ModelForm):
    class Meta:
        model = SeniorSchool
        fields = ["name", "parent", "area", "address", "founded_on", "closed_on", "note"]
        widgets = {"founded_on": DateInput(), "closed_on": DateInput()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        mains = SeniorSchool.objects.filter(parent__isnull=True).order_by("name", "id")
        if self.instance.pk is not None:
            mains = mains.exclude(pk=self.instance.pk)
        self.fields["parent"].queryset = mains
        self.fields["area"].widget.choices = tree_choices(
            Area.objects.all(),
            self.data.get("area") or self.initial.get("area") or self.instance.area_id,
            levels=None,
        )
        self.helper = _helper()


# Courses


class CourseForm(forms.ModelForm):
    class Meta:
        model = Course
        fields = ["school", "name", "subject", "starts_on", "ends_on", "teacher", "capacity", "note"]
        widgets = {"starts_on": DateInput(), "ends_on": DateInput()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        own = self.instance.school if self.instance.school_id else None
        self.fields["school"].queryset = selectors.open_schools(include=own)
        self.fields["school"].label_from_instance = _school_label
        self.fields["starts_on"].help_text = _("The course is listed under this day's year.")
        self.helper = _helper()


# Enrolments


class EnrolForm(forms.Form):
    cadre = CadreLookupField(label=_("student"))
    enrolled_on = forms.DateField(label=_("enrolled on"), widget=DateInput())
    note = forms.CharField(label=_("note"), max_length=200, required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        # The deceased stay findable, so the refusal names the reason rather than "no such cadre".
        self.fields["cadre"].queryset = cadre_visible(user=user)
        self.fields["enrolled_on"].initial = timezone.localdate()
        self.helper = _helper()

    def clean_cadre(self):
        cadre = self.cleaned_data["cadre"]
        if cadre is None:
            raise forms.ValidationError(_("Name the student."))
        return cadre


class WithdrawForm(forms.Form):
    left_on = forms.DateField(label=_("withdrew on"), widget=DateInput())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["left_on"].initial = timezone.localdate()
        self.helper = _helper()


# List filters


class _FilterForm(FilterForm):
    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        if "area" in self.fields:
            self.fields["area"].widget.choices = tree_choices(Area.objects.all(), self.data.get("area"))
        if "branch" in self.fields:
            branches = visible_branches(user)
            self.fields["branch"].queryset = branches
            self.fields["branch"].widget.choices = tree_choices(branches, self.data.get("branch"))
        if "school" in self.fields:
            schools = scoping.schools_visible(user).order_by("name", "id")
            self.fields["school"].queryset = schools
            self.fields["school"].widget.choices = _empty_choice(schools.values_list("pk", "name"))
        style_widgets(self)


def _area_filter(label=None):
    return forms.ModelChoiceField(
        label=label or _("Area (and below)"), queryset=Area.objects.all(), required=False
    )


def _branch_filter():
    return forms.ModelChoiceField(
        label=_("Students' branch (and below)"), queryset=Branch.objects.none(), required=False
    )


def _school_filter():
    return forms.ModelChoiceField(label=_("school"), queryset=SeniorSchool.objects.none(), required=False)


def _year_filter():
    return forms.IntegerField(label=_("year"), required=False, min_value=YEAR_MIN, max_value=YEAR_MAX)


class SchoolFilterForm(_FilterForm):
    q = forms.CharField(label=_("Name contains"), required=False, max_length=60)
    kind = forms.ChoiceField(
        label=_("Kind"),
        required=False,
        choices=_empty_choice(
            [(selectors.MAIN, _("The university itself")), (selectors.BRANCH_SCHOOL, _("Branch schools"))]
        ),
    )
    area = _area_filter()
    branch = _branch_filter()
    on = forms.DateField(label=_("Open on"), required=False, widget=DateInput())

    def filter(self, schools):
        p = self.params()
        return selectors.filter_schools(
            schools,
            kind=p.get("kind", ""),
            area=p.get("area"),
            branch=p.get("branch"),
            on=p.get("on"),
            query=p.get("q", "").strip(),
        )


class CourseFilterForm(_FilterForm):
    q = forms.CharField(label=_("Name contains"), required=False, max_length=60)
    school = _school_filter()
    year = _year_filter()
    subject = forms.ChoiceField(label=_("subject"), choices=_empty_choice(Subject.choices), required=False)
    area = _area_filter()
    branch = _branch_filter()

    def filter(self, courses):
        p = self.params()
        return selectors.filter_courses(
            courses,
            school=p.get("school"),
            year=p.get("year"),
            subject=p.get("subject", ""),
            area=p.get("area"),
            branch=p.get("branch"),
            query=p.get("q", "").strip(),
        )


class EnrolmentFilterForm(_FilterForm):
    q = forms.CharField(label=_("Student's name"), required=False, max_length=50)
    school = _school_filter()
    year = _year_filter()
    subject = forms.ChoiceField(label=_("subject"), choices=_empty_choice(Subject.choices), required=False)
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[
            ("", _("Current and withdrawn")),
            ("current", _("Current only")),
            ("withdrawn", _("Withdrawn only")),
        ],
    )
    area = _area_filter(_("Students' area (and below)"))
    branch = _branch_filter()

    def filter(self, enrolments):
        p = self.params()
        return selectors.filter_enrolments(
            enrolments,
            school=p.get("school"),
            year=p.get("year"),
            subject=p.get("subject", ""),
            status=p.get("status", ""),
            area=p.get("area"),
            branch=p.get("branch"),
            query=p.get("q", "").strip(),
        )
