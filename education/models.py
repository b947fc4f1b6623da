"""The senior university (老年大学): the city's university and its branch schools (分校) in the towns,
their courses by year, and the retired cadres enrolled in them (学员).

Students are cadres of the registry, so the one scoping rule follows them: an enrolment belongs to
the enrolled cadre's branch. Schools and courses are the bureau's (see education.scoping).
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.models import TimeStampedModel


class SeniorSchool(TimeStampedModel):
    """The senior university itself (no parent) or one of its branch schools (分校, parent set)."""

    name = models.CharField(pgettext_lazy("organisation", "name"), max_length=120, unique=True)
    # Two levels only: the university and its branch schools, as the bureaus report them.
    parent = models.ForeignKey(
        "self",
        verbose_name=_("main university"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="branch_schools",
        help_text=_("Leave empty for the senior university itself; a branch school names it."),
    )
    area = models.ForeignKey(
        "branches.Area",
        verbose_name=_("area"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="senior_schools",
        help_text=_("The town, street or district the school serves."),
    )
    address = models.CharField(pgettext_lazy("place", "address"), max_length=200, blank=True)
    founded_on = models.DateField(_("founded on"), null=True, blank=True)
    closed_on = models.DateField(
        _("closed on"), null=True, blank=True, help_text=_("The first day the school no longer ran.")
    )
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("senior university school")
        verbose_name_plural = _("senior university schools")
        ordering = ["name", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(closed_on__isnull=True)
                | Q(founded_on__isnull=True)
                | Q(closed_on__gte=F("founded_on")),
                name="senior_school_closed_after_founded",
            ),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        errors = {}
        if self.parent_id is not None:
            if self.pk is not None and self.parent_id == self.pk:
                errors["parent"] = _("A school cannot be its own main university.")
            elif self.parent.parent_id is not None:
                errors["parent"] = _(
                    "A branch school belongs to the university itself, not to another branch."
                )
            elif self.pk is not None and self.branch_schools.exists():
                errors["parent"] = _("This school has branch schools of its own: it is a main university.")
        if self.founded_on and self.closed_on and self.closed_on < self.founded_on:
            errors["closed_on"] = _("A school closes after it was founded.")
        if errors:
            raise ValidationError(errors)

    def get_absolute_url(self):
        return reverse("education:school_detail", args=[self.pk])

    @property
    def is_branch_school(self) -> bool:
        return self.parent_id is not None


class Subject(models.TextChoices):
    CALLIGRAPHY_PAINTING = "calligraphy_painting", _("Calligraphy and painting")
    PHOTOGRAPHY = "photography", _("Photography")
    POETRY = "poetry", _("Poetry")
    MUSIC = "music", _("Music and singing")
    DANCE = "dance", _("Dance")
    HEALTH = "health", _("Health and fitness")
    COMPUTERS = "computers", _("Computers and smartphones")
    OTHER = "other", _("Other")


class Course(TimeStampedModel):
    """A course (课程) a school holds in a year: a subject, a term from starts_on, a teacher, places."""

    school = models.ForeignKey(
        SeniorSchool, verbose_name=_("school"), on_delete=models.PROTECT, related_name="courses"
    )
    name = models.CharField(_("course name"), max_length=120)
    subject = models.CharField(_("subject"), max_length=24, choices=Subject.choices)
    # Stored for the year's lists and figures (an index, not a date range); always starts_on's year.
    year = models.PositiveSmallIntegerField(_("year"), help_text=_("The year the course starts in."))
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    teacher = models.CharField(_("teacher"), max_length=50, blank=True)
    capacity = models.PositiveSmallIntegerField(
        _("places"), null=True, blank=True, help_text=_("Leave empty for no limit.")
    )
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("course")
        verbose_name_plural = _("courses")
        ordering = ["-year", "name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "year", "name"], name="one_course_name_per_school_and_year"
            ),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=F("starts_on")),
                name="course_ends_after_it_starts",
            ),
            models.CheckConstraint(
                condition=Q(capacity__isnull=True) | Q(capacity__gte=1), name="course_capacity_positive"
            ),
            models.CheckConstraint(condition=Q(year__gte=1949, year__lte=2200), name="course_year_plausible"),
        ]
        indexes = [models.Index(fields=["year", "school"], name="course_year_school_idx")]

    def __str__(self):
        return f"{self.name}（{self.year}）"

    def clean(self):
        errors = {}
        if self.starts_on and self.year and self.starts_on.year != self.year:
            errors["starts_on"] = _("The course starts in %(year)s, the year it is listed under.") % {
                "year": self.year
            }
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            errors["ends_on"] = _("A course ends on or after the day it starts.")
        school = self.school if self.school_id else None
        if school is not None and self.starts_on:
            if school.founded_on and self.starts_on < school.founded_on:
                errors["starts_on"] = _("%(school)s was founded on %(date)s.") % {
                    "school": school.name,
                    "date": school.founded_on.isoformat(),
                }
            elif school.closed_on and self.starts_on >= school.closed_on:
                errors["starts_on"] = _("%(school)s closed on %(date)s.") % {
                    "school": school.name,
                    "date": school.closed_on.isoformat(),
                }
        if errors:
            raise ValidationError(errors)

    def get_absolute_url(self):
        return reverse("education:course_detail", args=[self.pk])


class Enrolment(TimeStampedModel):
    """A retired cadre's place on a course (报名), from enrolled_on until left_on if they withdrew."""

    course = models.ForeignKey(
        Course, verbose_name=_("course"), on_delete=models.PROTECT, related_name="enrolments"
    )
    cadre = models.ForeignKey(
        "cadres.Cadre", verbose_name=_("student"), on_delete=models.PROTECT, related_name="senior_enrolments"
    )
    enrolled_on = models.DateField(_("enrolled on"))
    left_on = models.DateField(_("withdrew on"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        ordering = ["-enrolled_on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["course", "cadre"], name="one_enrolment_per_cadre_and_course"),
            models.CheckConstraint(
                condition=Q(left_on__isnull=True) | Q(left_on__gte=F("enrolled_on")),
                name="enrolment_left_after_enrolled",
            ),
        ]

    def __str__(self):
        return f"{self.cadre.name} · {self.course.name}"

    @property
    def is_current(self) -> bool:
        return self.left_on is None
