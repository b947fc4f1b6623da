"""Areas where people live and the tree of Party organisations of retired cadres."""

from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from treebeard.mp_tree import MP_Node

from core.models import Photo, TimeStampedModel


class Area(MP_Node, TimeStampedModel):
    """District > street or town > community or village: where people live and services happen."""

    class Kind(models.TextChoices):
        CITY = "city", _("City")
        DISTRICT = "district", _("District or county")
        STREET = "street", _("Street")
        TOWN = "town", _("Town")
        COMMUNITY = "community", _("Community")
        VILLAGE = "village", _("Village")

    name = models.CharField(pgettext_lazy("organisation", "name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    code = models.CharField(_("administrative code"), max_length=12, blank=True)

    class Meta:
        verbose_name = _("area")
        verbose_name_plural = _("areas")
        # Select boxes list the top levels of the tree (core.trees.tree_choices).
        indexes = [models.Index(fields=["depth"], name="area_depth_idx")]

    def __str__(self):
        return self.name


class Branch(MP_Node, TimeStampedModel):
    """A Party organisation of retired cadres; the tree runs 党工委 > 党委 > 党总支 > 党支部 > 党小组."""

    class Kind(models.TextChoices):
        WORKING_COMMITTEE = "working_committee", _("Working committee")
        COMMITTEE = "committee", _("Party committee")
        GENERAL_BRANCH = "general_branch", _("General branch")
        BRANCH = "branch", _("Branch")
        TEMPORARY = "temporary", _("Temporary branch")
        GROUP = "group", _("Party group")

    name = models.CharField(pgettext_lazy("organisation", "name"), max_length=120)
    kind = models.CharField(_("kind"), max_length=24, choices=Kind.choices, default=Kind.BRANCH)
    area = models.ForeignKey(
        Area, verbose_name=_("area"), on_delete=models.PROTECT, null=True, blank=True, related_name="branches"
    )
    former_unit = models.CharField(_("unit"), max_length=120, blank=True)
    founded_on = models.DateField(_("founded on"), null=True, blank=True)
    dissolved_on = models.DateField(_("dissolved on"), null=True, blank=True)
    # The Party Constitution (2022) sets a term of 3 to 5 years per organisation.
    term_years = models.PositiveSmallIntegerField(_("term in years"), default=3)
    liaison_name = models.CharField(_("liaison"), max_length=50, blank=True)
    liaison_phone = models.CharField(_("liaison's phone"), max_length=20, blank=True)
    liaison_unit = models.CharField(_("liaison's unit"), max_length=120, blank=True)

    class Meta:
        verbose_name = _("Party organisation")
        verbose_name_plural = _("Party organisations")
        # Select boxes list the top levels of the tree (core.trees.tree_choices).
        indexes = [models.Index(fields=["depth"], name="branch_depth_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(term_years__gte=3, term_years__lte=5), name="branch_term_3_to_5_years"
            ),
            models.CheckConstraint(
                condition=Q(dissolved_on__isnull=True)
                | Q(founded_on__isnull=True)
                | Q(dissolved_on__gte=F("founded_on")),
                name="branch_dissolved_after_founded",
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("branches:branch_detail", args=[self.pk])

    @property
    def is_active(self):
        return self.dissolved_on is None


class BranchOfficer(TimeStampedModel):
    """A cadre holding a post in a branch committee for one term."""

    class Role(models.TextChoices):
        SECRETARY = "secretary", _("Secretary")
        DEPUTY_SECRETARY = "deputy_secretary", _("Deputy secretary")
        ORGANISATION = "organisation", _("Organisation member")
        PROPAGANDA = "propaganda", _("Propaganda member")
        DISCIPLINE = "discipline", _("Discipline member")
        MEMBER = "member", _("Committee member")

    branch = models.ForeignKey(
        Branch, verbose_name=_("branch"), on_delete=models.CASCADE, related_name="officers"
    )
    cadre = models.ForeignKey(
        "cadres.Cadre", verbose_name=_("cadre"), on_delete=models.PROTECT, related_name="officer_posts"
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    term_start = models.DateField(_("term starts"))
    term_end = models.DateField(_("term ends"))

    class Meta:
        verbose_name = _("branch officer")
        verbose_name_plural = _("branch officers")
        ordering = ["branch", "role", "-term_start"]
        constraints = [
            models.CheckConstraint(
                condition=Q(term_end__gt=F("term_start")), name="officer_term_end_after_start"
            ),
        ]
        indexes = [models.Index(fields=["term_end"], name="officer_term_end_idx")]

    def __str__(self):
        return f"{self.branch} {self.get_role_display()} {self.cadre}"


class BranchMembership(models.Model):
    """A cadre's membership of a branch from joined_on to left_on; history is never rewritten."""

    cadre = models.ForeignKey(
        "cadres.Cadre", verbose_name=_("cadre"), on_delete=models.CASCADE, related_name="memberships"
    )
    branch = models.ForeignKey(
        Branch, verbose_name=_("branch"), on_delete=models.PROTECT, related_name="memberships"
    )
    joined_on = models.DateField(_("joined on"))
    left_on = models.DateField(_("left on"), null=True, blank=True)

    class Meta:
        verbose_name = _("branch membership")
        verbose_name_plural = _("branch memberships")
        ordering = ["cadre", "-joined_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["cadre"], condition=Q(left_on__isnull=True), name="one_current_branch_per_cadre"
            ),
            models.CheckConstraint(
                condition=Q(left_on__isnull=True) | Q(left_on__gte=F("joined_on")),
                name="membership_left_after_joined",
            ),
        ]

    def __str__(self):
        return f"{self.cadre} @ {self.branch}"

    @property
    def is_current(self):
        return self.left_on is None


class ActivityKind(TimeStampedModel):
    """A kind of branch activity (三会一课, 主题党日 …) with how often a branch must hold it.

    Kinds are data, seeded by migration and editable by bureau admins: bureaus add their
    own (谈心谈话, 过政治生日) without a code change.
    """

    class Frequency(models.TextChoices):
        MONTHLY = "month", _("Monthly")
        QUARTERLY = "quarter", _("Quarterly")
        YEARLY = "year", _("Yearly")
        NONE = "", _("No required frequency")

    class HeldBy(models.TextChoices):
        BRANCH = "branch", _("Branch")
        GROUP = "group", _("Party group")

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(pgettext_lazy("organisation", "name"), max_length=40)
    frequency = models.CharField(_("required frequency"), max_length=8, choices=Frequency.choices, blank=True)
    # 党小组会 is held by the Party groups; the other required kinds by the branch itself.
    held_by = models.CharField(_("held by"), max_length=8, choices=HeldBy.choices, default=HeldBy.BRANCH)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta:
        verbose_name = _("activity kind")
        verbose_name_plural = _("activity kinds")
        ordering = ["sort_order", "id"]

    def __str__(self):
        return self.name

    @property
    def is_required(self):
        return bool(self.frequency)


class Activity(TimeStampedModel):
    """A meeting, lecture or theme day a branch held, with its attendance."""

    branch = models.ForeignKey(
        Branch, verbose_name=_("branch"), on_delete=models.PROTECT, related_name="activities"
    )
    kind = models.ForeignKey(
        ActivityKind, verbose_name=_("kind"), on_delete=models.PROTECT, related_name="activities"
    )
    held_on = models.DateField(_("held on"))
    starts_at = models.TimeField(_("starts at"), null=True, blank=True)
    place = models.CharField(_("place"), max_length=120, blank=True)
    topic = models.CharField(_("topic"), max_length=200)
    presenter = models.CharField(_("presenter or lecturer"), max_length=60, blank=True)
    minutes = models.TextField(_("minutes"), blank=True)
    guest_count = models.PositiveSmallIntegerField(_("guests"), default=0)
    # An activity may be a volunteer project's outing (主题党日 of service) or a talk given
    # to the branch (党课 by a 五老 lecturer); the link lets each side show the other.
    service_project = models.ForeignKey(
        "volunteers.ServiceProject",
        verbose_name=_("volunteer project"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="activities",
    )
    talk = models.ForeignKey(
        "outreach.TalkEvent",
        verbose_name=_("talk"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="activities",
    )
    # Tallies of this activity's attendance rows, kept by branches.services whenever the rows
    # change, so that a year's compliance over a million rows sums activities, not rows.
    # The rate is still computed (present / on the roll), never stored.
    present_count = models.PositiveIntegerField(_("members present"), default=0, editable=False)
    roll_count = models.PositiveIntegerField(_("members on the roll"), default=0, editable=False)
    created_by = models.ForeignKey(
        "accounts.User",
        verbose_name=_("recorded by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        ordering = ["-held_on", "-id"]
        indexes = [
            models.Index(fields=["branch", "held_on"], name="activity_branch_day_idx"),
            models.Index(fields=["held_on", "kind"], name="activity_day_kind_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(present_count__lte=F("roll_count")), name="activity_present_within_roll"
            ),
        ]

    def __str__(self):
        return f"{self.held_on} {self.kind} {self.topic}"

    def get_absolute_url(self):
        return reverse("branches:activity_detail", args=[self.pk])


class Attendance(models.Model):
    """Whether one member attended one activity; the rate is computed from these rows."""

    class Status(models.TextChoices):
        PRESENT = "present", _("Present")
        ABSENT = "absent", _("Absent")
        LEAVE = "leave", _("On leave")

    class LeaveReason(models.TextChoices):
        SICK = "sick", _("Sick leave")
        PERSONAL = "personal", _("Personal leave")
        HOSPITAL = "hospital", _("In hospital")
        AWAY = "away", _("Away from the city")
        OTHER = "other", _("Other")

    activity = models.ForeignKey(
        Activity, verbose_name=_("activity"), on_delete=models.CASCADE, related_name="attendance"
    )
    cadre = models.ForeignKey(
        "cadres.Cadre", verbose_name=_("cadre"), on_delete=models.PROTECT, related_name="attendance"
    )
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.PRESENT)
    leave_reason = models.CharField(_("reason"), max_length=10, choices=LeaveReason.choices, blank=True)

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        constraints = [
            models.UniqueConstraint(fields=["activity", "cadre"], name="one_attendance_per_member"),
            models.CheckConstraint(
                condition=Q(status="leave", leave_reason__gt="") | (~Q(status="leave") & Q(leave_reason="")),
                name="leave_has_a_reason",
            ),
        ]

    def __str__(self):
        return f"{self.cadre} {self.get_status_display()}"


class ActivityPhoto(Photo):
    """A photo of an activity."""

    upload_dir = "activities"

    activity = models.ForeignKey(
        Activity, verbose_name=_("activity"), on_delete=models.CASCADE, related_name="photos"
    )

    class Meta(Photo.Meta):
        verbose_name = _("activity photo")
        verbose_name_plural = _("activity photos")


from branches.records import *  # noqa: E402, F403
