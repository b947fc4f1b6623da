"""Outreach (宣讲): lecture groups and their lecturers, the talks they give, campaigns with targets,
and the publicity of model people and branches."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from cadres.models import Cadre
from core.models import TimeStampedModel


class Topic(models.TextChoices):
    """What a talk is about; a lecturer lists the topics they speak on."""

    PARTY_HISTORY = "party_history", _("Party history")
    POLICY_THEORY = "policy_theory", _("Policy and theory")
    RURAL_REVITALISATION = "rural_revitalisation", _("Rural revitalisation")
    DROWNING_PREVENTION = "drowning_prevention", _("Drowning prevention")
    DRUG_PREVENTION = "drug_prevention", _("Drug prevention")
    FAMILY_VALUES = "family_values", _("Family values and upbringing")
    RULE_OF_LAW = "rule_of_law", _("Rule of law")
    OTHER = "other", _("Other")


class VenueType(models.TextChoices):
    GOVERNMENT = "government", _("Government office")
    COMMUNITY = "community", _("Community")
    SCHOOL = "school", _("School")
    ENTERPRISE = "enterprise", _("Enterprise")
    VILLAGE = "village", _("Village")
    ONLINE = "online", _("Online")


class LectureGroup(TimeStampedModel):
    """A lecture group (宣讲团). One owned by a branch is that branch's; one without is the bureau's."""

    class Level(models.TextChoices):
        CITY = "city", _("City")
        DISTRICT = "district", _("District or county")
        STREET = "street", _("Street or town")
        BRANCH = "branch", _("Party organisation")

    name = models.CharField(pgettext_lazy("organisation", "name"), max_length=120)
    level = models.CharField(_("level"), max_length=10, choices=Level.choices, default=Level.CITY)
    area = models.ForeignKey(
        "branches.Area",
        verbose_name=_("area"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="lecture_groups",
    )
    # The owning branch is what lets its secretary see the group; without one only the bureau does.
    branch = models.ForeignKey(
        "branches.Branch",
        verbose_name=_("branch"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="lecture_groups",
        help_text=_("Leave empty for a group of the bureau itself."),
    )
    founded_on = models.DateField(_("founded on"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)
    lecturers = models.ManyToManyField(
        "outreach.Lecturer",
        verbose_name=_("lecturers"),
        through="outreach.LectureGroupMembership",
        related_name="groups",
    )

    class Meta:
        verbose_name = _("lecture group")
        verbose_name_plural = _("lecture groups")
        ordering = ["name", "id"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("outreach:group_detail", args=[self.pk])


class Lecturer(TimeStampedModel):
    """A cadre's profile as a lecturer (宣讲员): which of the five elders, the topics, when free."""

    class Availability(models.TextChoices):
        WEEKDAYS = "weekdays", _("Weekdays")
        WEEKENDS = "weekends", _("Weekends")
        ANY_TIME = "any_time", _("Any time")
        BY_ARRANGEMENT = "by_arrangement", _("By arrangement")

    cadre = models.OneToOneField(
        "cadres.Cadre", verbose_name=_("cadre"), on_delete=models.PROTECT, related_name="lecturer"
    )
    category = models.CharField(
        _("five elders category"), max_length=16, choices=Cadre.FiveElders.choices, blank=True
    )
    topics = models.JSONField(_("topics"), default=list, blank=True)
    availability = models.CharField(
        _("availability"), max_length=16, choices=Availability.choices, default=Availability.BY_ARRANGEMENT
    )
    is_active = models.BooleanField(_("active"), default=True)
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("lecturer")
        verbose_name_plural = _("lecturers")
        ordering = ["id"]
        indexes = [models.Index(fields=["is_active", "id"], name="lecturer_active_id_idx")]

    def __str__(self):
        return self.cadre.name

    def clean(self):
        if not isinstance(self.topics, list) or not set(self.topics) <= set(Topic.values):
            raise ValidationError(
                {"topics": _("Topics must be a list of: %(codes)s.") % {"codes": ", ".join(Topic.values)}}
            )

    def get_absolute_url(self):
        return reverse("outreach:lecturer_detail", args=[self.pk])

    @property
    def topic_labels(self):
        return [Topic(code).label for code in self.topics or [] if code in Topic.values]


class LectureGroupMembership(models.Model):
    """A lecturer's place in a group from joined_on to left_on.

    A model of its own rather than a plain many-to-many: lecturers come and go, a talk's
    lecturers must have been in the group on the day, and the history stays true.
    """

    group = models.ForeignKey(
        LectureGroup, verbose_name=_("lecture group"), on_delete=models.CASCADE, related_name="memberships"
    )
    lecturer = models.ForeignKey(
        Lecturer, verbose_name=_("lecturer"), on_delete=models.CASCADE, related_name="memberships"
    )
    joined_on = models.DateField(_("joined on"))
    left_on = models.DateField(_("left on"), null=True, blank=True)

    class Meta:
        verbose_name = _("lecture group membership")
        verbose_name_plural = _("lecture group memberships")
        ordering = ["group", "-joined_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["group", "lecturer"],
                condition=Q(left_on__isnull=True),
                name="one_current_place_per_lecturer_and_group",
            ),
            models.CheckConstraint(
                condition=Q(left_on__isnull=True) | Q(left_on__gte=F("joined_on")),
                name="lecture_membership_left_after_joined",
            ),
        ]

    def __str__(self):
        return f"{self.lecturer} @ {self.group}"

    @property
    def is_current(self):
        return self.left_on is None


class Campaign(TimeStampedModel):
    """An outreach campaign such as 百千万 with targets; progress is computed from its talks."""

    name = models.CharField(pgettext_lazy("organisation", "name"), max_length=120)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    area = models.ForeignKey(
        "branches.Area",
        verbose_name=_("area"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="campaigns",
        help_text=_("Leave empty for the whole city."),
    )
    # A branch's own campaign: its talks come from groups of that branch and below.
    branch = models.ForeignKey(
        "branches.Branch",
        verbose_name=_("branch"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="campaigns",
        help_text=_("Leave empty for a campaign of the bureau itself."),
    )
    target_lecturers = models.PositiveIntegerField(_("target lecturers"), default=0)
    target_talks = models.PositiveIntegerField(_("target talks"), default=0)
    target_audience = models.PositiveIntegerField(_("target audience"), default=0)
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")
        ordering = ["-starts_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")), name="campaign_ends_after_start"
            ),
            models.CheckConstraint(
                condition=Q(target_lecturers__gte=0, target_talks__gte=0, target_audience__gte=0),
                name="campaign_targets_not_negative",
            ),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": _("A campaign cannot end before it starts.")})

    def get_absolute_url(self):
        return reverse("outreach:campaign_detail", args=[self.pk])


class TalkEvent(TimeStampedModel):
    """A talk or report meeting (宣讲活动 / 报告会) given by one or more lecturers."""

    group = models.ForeignKey(
        LectureGroup,
        verbose_name=_("lecture group"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="talks",
    )
    lecturers = models.ManyToManyField(Lecturer, verbose_name=_("lecturers"), related_name="talks")
    held_on = models.DateField(_("held on"))
    topic = models.CharField(_("topic"), max_length=24, choices=Topic.choices)
    title = models.CharField(_("title"), max_length=200)
    venue_type = models.CharField(_("venue type"), max_length=12, choices=VenueType.choices)
    venue_name = models.CharField(_("venue"), max_length=120, blank=True)
    area = models.ForeignKey(
        "branches.Area",
        verbose_name=_("area"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="talks",
    )
    audience = models.PositiveIntegerField(_("audience"))
    youth_audience = models.PositiveIntegerField(_("young people in the audience"), default=0)
    campaign = models.ForeignKey(
        Campaign,
        verbose_name=_("campaign"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="talks",
    )
    notes = models.TextField(_("notes"), blank=True)
    recorded_by = models.ForeignKey(
        "accounts.User",
        verbose_name=_("recorded by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("talk")
        verbose_name_plural = _("talks")
        ordering = ["-held_on", "-id"]
        indexes = [
            models.Index(fields=["held_on", "id"], name="talk_day_idx"),
            models.Index(fields=["group", "held_on"], name="talk_group_day_idx"),
            models.Index(fields=["campaign", "held_on"], name="talk_campaign_day_idx"),
            models.Index(fields=["area", "held_on"], name="talk_area_day_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(youth_audience__gte=0) & Q(youth_audience__lte=F("audience")),
                name="talk_youth_within_audience",
            ),
        ]

    def __str__(self):
        return f"{self.held_on} {self.title}"

    def clean(self):
        if (
            self.audience is not None
            and self.youth_audience is not None
            and self.youth_audience > self.audience
        ):
            raise ValidationError(
                {"youth_audience": _("The young people cannot outnumber the whole audience.")}
            )

    def get_absolute_url(self):
        return reverse("outreach:talk_detail", args=[self.pk])


class Publicity(TimeStampedModel):
    """A report publicising a model person or branch (先进典型 宣传): where and when it appeared."""

    class Level(models.TextChoices):
        NATIONAL = "national", _("National")
        PROVINCIAL = "provincial", _("Provincial")
        CITY = "city", _("City")
        DISTRICT = "district", _("District or county")

    title = models.CharField(_("title"), max_length=200)
    cadre = models.ForeignKey(
        "cadres.Cadre",
        verbose_name=_("cadre"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="publicity",
    )
    branch = models.ForeignKey(
        "branches.Branch",
        verbose_name=_("branch"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="publicity",
    )
    outlet = models.CharField(_("outlet"), max_length=80, help_text=_("e.g. People's Daily, Xuexi Qiangguo."))
    level = models.CharField(_("level"), max_length=10, choices=Level.choices)
    published_on = models.DateField(_("published on"))
    link = models.URLField(_("link"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("publicity")
        verbose_name_plural = _("publicity")
        ordering = ["-published_on", "-id"]
        indexes = [models.Index(fields=["published_on", "id"], name="publicity_day_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(cadre__isnull=False, branch__isnull=True)
                | Q(cadre__isnull=True, branch__isnull=False),
                name="publicity_has_one_subject",
            ),
        ]

    def __str__(self):
        return self.title

    def clean(self):
        if (self.cadre_id is None) == (self.branch_id is None):
            raise ValidationError(_("Name either the cadre or the branch the publicity is about, not both."))

    def get_absolute_url(self):
        return reverse("outreach:publicity_list")

    @property
    def subject(self):
        return self.cadre or self.branch
