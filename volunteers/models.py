"""Volunteer service (志愿服务): teams, chief posts (银发三长), service records and micro-wishes.

The figures the seed reports quote ("569 volunteer teams", "2819 chiefs over 247 rivers, 185
roads, 422 grids", "2100 patrols, 230 problems handled", micro-wishes claimed and fulfilled)
are counted from these rows by volunteers.selectors.volunteer_summary.
"""

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from treebeard.mp_tree import MP_Node

from core.models import Photo, TimeStampedModel


class VolunteerTeam(MP_Node, TimeStampedModel):
    """A volunteer team; the tree runs 总队 (corps) > 支队 > 中队 > 小队 (squad)."""

    class Level(models.TextChoices):
        CORPS = "corps", _("Corps")
        DETACHMENT = "detachment", _("Detachment")
        SQUADRON = "squadron", _("Squadron")
        SQUAD = "squad", _("Squad")

    name = models.CharField(pgettext_lazy("organisation", "name"), max_length=120)
    level = models.CharField(_("level"), max_length=12, choices=Level.choices)
    area = models.ForeignKey(
        "branches.Area",
        verbose_name=_("area"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="volunteer_teams",
    )
    founded_on = models.DateField(_("founded on"), null=True, blank=True)
    dissolved_on = models.DateField(_("dissolved on"), null=True, blank=True)
    leader = models.ForeignKey(
        "cadres.Cadre",
        verbose_name=_("team leader"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="teams_led",
    )
    # The Party branch the team grew from: what gives that branch's secretary sight of it.
    branch = models.ForeignKey(
        "branches.Branch",
        verbose_name=_("Party branch"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="volunteer_teams",
    )

    class Meta:
        verbose_name = _("volunteer team")
        verbose_name_plural = _("volunteer teams")
        indexes = [
            # Select boxes list the top levels of the tree (core.trees.tree_choices).
            models.Index(fields=["depth"], name="team_depth_idx"),
            models.Index(fields=["level"], name="team_level_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(dissolved_on__isnull=True)
                | Q(founded_on__isnull=True)
                | Q(dissolved_on__gte=F("founded_on")),
                name="team_dissolved_after_founded",
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("volunteers:team_detail", args=[self.pk])

    def clean(self):
        if self.founded_on and self.dissolved_on and self.dissolved_on < self.founded_on:
            raise ValidationError({"dissolved_on": _("A team cannot be dissolved before it was founded.")})

    @property
    def is_active(self):
        return self.dissolved_on is None


# The order of the levels down the tree: a team's children sit at a lower level than itself.
LEVEL_RANK = {level: rank for rank, level in enumerate(VolunteerTeam.Level.values)}


class TeamMembership(models.Model):
    """A cadre's membership of a volunteer team from joined_on to left_on; history is kept."""

    team = models.ForeignKey(
        VolunteerTeam, verbose_name=_("volunteer team"), on_delete=models.CASCADE, related_name="memberships"
    )
    cadre = models.ForeignKey(
        "cadres.Cadre", verbose_name=_("cadre"), on_delete=models.PROTECT, related_name="team_memberships"
    )
    joined_on = models.DateField(_("joined on"))
    left_on = models.DateField(_("left on"), null=True, blank=True)

    class Meta:
        verbose_name = _("team membership")
        verbose_name_plural = _("team memberships")
        ordering = ["team", "cadre", "-joined_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["team", "cadre"],
                condition=Q(left_on__isnull=True),
                name="one_open_membership_per_team",
            ),
            models.CheckConstraint(
                condition=Q(left_on__isnull=True) | Q(left_on__gte=F("joined_on")),
                name="team_membership_left_after_joined",
            ),
        ]
        indexes = [models.Index(fields=["cadre", "left_on"], name="team_membership_cadre_idx")]

    def __str__(self):
        return f"{self.cadre} @ {self.team}"

    def get_absolute_url(self):
        return reverse("volunteers:team_detail", args=[self.team_id])

    def clean(self):
        if self.joined_on and self.left_on and self.left_on < self.joined_on:
            raise ValidationError({"left_on": _("A member cannot leave before joining.")})

    @property
    def is_current(self):
        return self.left_on is None


class ServiceProject(TimeStampedModel):
    """A named, recurring service project or brand of a team (银龄红管家, 银发护河 …)."""

    name = models.CharField(pgettext_lazy("organisation", "name"), max_length=120)
    team = models.ForeignKey(
        VolunteerTeam, verbose_name=_("volunteer team"), on_delete=models.PROTECT, related_name="projects"
    )
    description = models.TextField(_("description"), blank=True)
    started_on = models.DateField(_("started on"), null=True, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("service project")
        verbose_name_plural = _("service projects")
        ordering = ["name", "id"]
        constraints = [models.UniqueConstraint(fields=["team", "name"], name="one_project_name_per_team")]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("volunteers:project_detail", args=[self.pk])


class PatrolArea(TimeStampedModel):
    """A named river, road or grid that chiefs look after: "247 rivers covered" counts these."""

    class Kind(models.TextChoices):
        RIVER = "river", _("River")
        ROAD = "road", _("Road")
        GRID = "grid", _("Grid")

    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices)
    name = models.CharField(pgettext_lazy("organisation", "name"), max_length=120)
    area = models.ForeignKey(
        "branches.Area", verbose_name=_("area"), on_delete=models.PROTECT, related_name="patrol_areas"
    )
    description = models.CharField(_("description"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("patrol area")
        verbose_name_plural = _("patrol areas")
        ordering = ["kind", "name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "name", "area"], name="one_patrol_area_per_kind_name_area"
            ),
        ]
        indexes = [models.Index(fields=["area", "kind"], name="patrol_area_area_kind_idx")]

    def __str__(self):
        return f"{self.get_kind_display()} · {self.name}"

    def get_absolute_url(self):
        return reverse("volunteers:patrol_area_detail", args=[self.pk])


class ChiefPost(TimeStampedModel):
    """A cadre appointed river, road or grid chief (银发三长) for a patrol area; its kind is the area's."""

    cadre = models.ForeignKey(
        "cadres.Cadre", verbose_name=_("cadre"), on_delete=models.PROTECT, related_name="chief_posts"
    )
    patrol_area = models.ForeignKey(
        PatrolArea, verbose_name=_("patrol area"), on_delete=models.PROTECT, related_name="chief_posts"
    )
    appointed_on = models.DateField(_("appointed on"))
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    team = models.ForeignKey(
        VolunteerTeam,
        verbose_name=_("volunteer team"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="chief_posts",
    )

    class Meta:
        verbose_name = _("chief post")
        verbose_name_plural = _("chief posts")
        ordering = ["patrol_area", "-appointed_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["cadre", "patrol_area"],
                condition=Q(ended_on__isnull=True),
                name="one_open_post_per_area",
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=F("appointed_on")),
                name="chief_post_ended_after_appointed",
            ),
        ]
        indexes = [
            models.Index(fields=["team", "appointed_on"], name="chief_post_team_idx"),
            models.Index(fields=["cadre", "ended_on"], name="chief_post_cadre_idx"),
        ]

    def __str__(self):
        return f"{self.kind_label} · {self.patrol_area.name} · {self.cadre}"

    def get_absolute_url(self):
        return reverse("volunteers:chief_post_detail", args=[self.pk])

    def clean(self):
        if self.appointed_on and self.ended_on and self.ended_on < self.appointed_on:
            raise ValidationError({"ended_on": _("A post cannot end before the appointment.")})

    @property
    def kind(self) -> str:
        return self.patrol_area.kind

    @property
    def kind_label(self) -> str:
        return CHIEF_TITLES[self.patrol_area.kind]

    @property
    def is_current(self):
        return self.ended_on is None


# 河长, 路长, 网格长: the title of a chief of each kind of patrol area.
CHIEF_TITLES = {
    PatrolArea.Kind.RIVER: _("River chief"),
    PatrolArea.Kind.ROAD: _("Road chief"),
    PatrolArea.Kind.GRID: _("Grid chief"),
}


class ServiceRecord(TimeStampedModel):
    """One round of service: a team's, or a chief's patrol of their river, road or grid."""

    class Kind(models.TextChoices):
        PATROL = "patrol", _("Patrol")
        GRID_SERVICE = "grid_service", _("Grid service")
        CARE_VISIT = "care_visit", _("Care visit")
        PUBLICITY = "publicity", _("Publicity and persuasion")
        MEDIATION = "mediation", _("Mediation")
        OTHER = "other", _("Other")

    team = models.ForeignKey(
        VolunteerTeam,
        verbose_name=_("volunteer team"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="service_records",
    )
    chief_post = models.ForeignKey(
        ChiefPost,
        verbose_name=_("chief post"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="service_records",
    )
    project = models.ForeignKey(
        ServiceProject,
        verbose_name=_("service project"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="service_records",
    )
    served_on = models.DateField(_("served on"))
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.PATROL)
    hours = models.DecimalField(
        _("hours"), max_digits=6, decimal_places=1, default=0, validators=[MinValueValidator(0)]
    )
    volunteers_present = models.PositiveIntegerField(_("volunteers present"), default=1)
    people_served = models.PositiveIntegerField(_("people served"), default=0)
    problems_found = models.PositiveIntegerField(_("problems found"), default=0)
    problems_resolved = models.PositiveIntegerField(_("problems resolved"), default=0)
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
        verbose_name = _("service record")
        verbose_name_plural = _("service records")
        ordering = ["-served_on", "-id"]
        indexes = [
            models.Index(fields=["served_on", "kind"], name="service_record_day_kind_idx"),
            models.Index(fields=["team", "served_on"], name="service_record_team_day_idx"),
            models.Index(fields=["chief_post", "served_on"], name="service_record_post_day_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(team__isnull=False, chief_post__isnull=True)
                | Q(team__isnull=True, chief_post__isnull=False),
                name="service_record_team_xor_chief_post",
            ),
            # The counts are PositiveIntegerFields, which carry their own ">= 0" check in the database.
            models.CheckConstraint(condition=Q(hours__gte=0), name="service_record_hours_not_negative"),
            models.CheckConstraint(
                condition=Q(problems_resolved__lte=F("problems_found")),
                name="service_record_resolved_within_found",
            ),
        ]

    def __str__(self):
        return f"{self.served_on} {self.get_kind_display()} · {self.subject_name}"

    def get_absolute_url(self):
        return reverse("volunteers:record_detail", args=[self.pk])

    def clean(self):
        # Said beside the field, before the check constraint would say it in general terms.
        found, resolved = self.problems_found, self.problems_resolved
        if found is not None and resolved is not None and resolved > found:
            raise ValidationError(
                {
                    "problems_resolved": _("More problems cannot be resolved than were found (%(found)s).")
                    % {"found": found}
                }
            )

    @property
    def subject_name(self) -> str:
        """Who served: the team's name, or the chief's title, patrol area and name."""
        if self.chief_post_id:
            return str(self.chief_post)
        return self.team.name if self.team_id else ""


class ServiceRecordPhoto(Photo):
    """A photo of a service record."""

    upload_dir = "service_records"

    record = models.ForeignKey(
        ServiceRecord, verbose_name=_("service record"), on_delete=models.CASCADE, related_name="photos"
    )

    class Meta(Photo.Meta):
        verbose_name = _("service record photo")
        verbose_name_plural = _("service record photos")


class MicroWish(TimeStampedModel):
    """A needy elder's small wish (微心愿): posted, claimed by one branch, team or volunteer, then
    fulfilled, or withdrawn."""

    class Status(models.TextChoices):
        POSTED = "posted", _("Posted")
        CLAIMED = "claimed", _("Claimed")
        FULFILLED = "fulfilled", _("Fulfilled")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    beneficiary = models.ForeignKey(
        "cadres.Cadre", verbose_name=_("beneficiary"), on_delete=models.PROTECT, related_name="micro_wishes"
    )
    wish = models.CharField(_("wish"), max_length=200)
    details = models.TextField(_("details"), blank=True)
    # Where the elder lives: open wishes are offered to the branches and teams of that area.
    area = models.ForeignKey(
        "branches.Area",
        verbose_name=_("area"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="micro_wishes",
    )
    posted_on = models.DateField(_("posted on"))
    posted_by = models.ForeignKey(
        "accounts.User",
        verbose_name=_("posted by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.POSTED)
    claimed_by_branch = models.ForeignKey(
        "branches.Branch",
        verbose_name=_("claimed by branch"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="claimed_wishes",
    )
    claimed_by_team = models.ForeignKey(
        VolunteerTeam,
        verbose_name=_("claimed by team"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="claimed_wishes",
    )
    claimed_by_cadre = models.ForeignKey(
        "cadres.Cadre",
        verbose_name=_("claimed by volunteer"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="claimed_wishes",
    )
    claimed_on = models.DateField(_("claimed on"), null=True, blank=True)
    claimed_by_user = models.ForeignKey(
        "accounts.User",
        verbose_name=_("claim recorded by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    fulfilled_on = models.DateField(_("fulfilled on"), null=True, blank=True)
    evidence_photo = models.ImageField(_("photo"), upload_to="micro_wishes/%Y/%m/", blank=True)
    evidence_thumbnail = models.ImageField(_("thumbnail"), upload_to="micro_wishes/%Y/%m/", blank=True)
    feedback = models.TextField(_("feedback"), blank=True)
    withdrawn_on = models.DateField(_("withdrawn on"), null=True, blank=True)
    withdrawal_reason = models.CharField(_("reason for withdrawal"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("micro-wish")
        verbose_name_plural = _("micro-wishes")
        ordering = ["-posted_on", "-id"]
        indexes = [
            models.Index(fields=["status", "posted_on"], name="wish_status_posted_idx"),
            models.Index(fields=["area", "status"], name="wish_area_status_idx"),
            models.Index(fields=["claimed_on"], name="wish_claimed_idx"),
            models.Index(fields=["fulfilled_on"], name="wish_fulfilled_idx"),
        ]
        constraints = [
            # One claimant at most, and exactly one once the wish has been claimed.
            models.CheckConstraint(
                condition=Q(
                    claimed_on__isnull=True,
                    claimed_by_branch__isnull=True,
                    claimed_by_team__isnull=True,
                    claimed_by_cadre__isnull=True,
                )
                | Q(
                    claimed_on__isnull=False,
                    claimed_by_branch__isnull=False,
                    claimed_by_team__isnull=True,
                    claimed_by_cadre__isnull=True,
                )
                | Q(
                    claimed_on__isnull=False,
                    claimed_by_branch__isnull=True,
                    claimed_by_team__isnull=False,
                    claimed_by_cadre__isnull=True,
                )
                | Q(
                    claimed_on__isnull=False,
                    claimed_by_branch__isnull=True,
                    claimed_by_team__isnull=True,
                    claimed_by_cadre__isnull=False,
                ),
                name="wish_one_claimant",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["claimed", "fulfilled"]) | Q(claimed_on__isnull=False),
                name="wish_claimed_has_claimant",
            ),
            models.CheckConstraint(
                condition=~Q(status="posted") | Q(claimed_on__isnull=True), name="wish_posted_is_unclaimed"
            ),
            models.CheckConstraint(
                condition=(Q(status="fulfilled") & Q(fulfilled_on__isnull=False))
                | (~Q(status="fulfilled") & Q(fulfilled_on__isnull=True)),
                name="wish_fulfilled_has_date",
            ),
            models.CheckConstraint(
                condition=Q(claimed_on__isnull=True) | Q(claimed_on__gte=F("posted_on")),
                name="wish_claimed_after_posted",
            ),
            models.CheckConstraint(
                condition=Q(fulfilled_on__isnull=True) | Q(fulfilled_on__gte=F("claimed_on")),
                name="wish_fulfilled_after_claimed",
            ),
            models.CheckConstraint(
                condition=(Q(status="withdrawn") & Q(withdrawn_on__isnull=False) & ~Q(withdrawal_reason=""))
                | (~Q(status="withdrawn") & Q(withdrawn_on__isnull=True)),
                name="wish_withdrawn_has_reason",
            ),
        ]
        permissions = [("claim_microwish", _("Can claim and fulfil micro-wishes"))]

    def __str__(self):
        return f"{self.beneficiary}: {self.wish}"

    def get_absolute_url(self):
        return reverse("volunteers:wish_detail", args=[self.pk])

    @property
    def claimant(self):
        """The branch, team or cadre that claimed the wish, or None."""
        return self.claimed_by_branch or self.claimed_by_team or self.claimed_by_cadre
