"""Care and benefits (服务保障): occasions that require a visit (六必访), the visits themselves,
and one-to-one contact (一对一联系) of staff with cadres in special hardship."""

from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from cadres.models import Cadre
from core.models import Photo, TimeStampedModel


class Occasion(TimeStampedModel):
    """An occasion in a cadre's life that requires a visit by `due_on`; a visit for it closes it."""

    class Kind(models.TextChoices):
        HOSPITALISED = "hospitalised", _("Hospitalised")
        FAMILY_EVENT = "family_event", _("Major family event")
        HARDSHIP = "hardship", _("Special hardship")
        FESTIVAL = "festival", _("Major festival")
        MILESTONE_BIRTHDAY = "milestone_birthday", _("Milestone birthday")
        DEATH = "death", _("Death (visit to the family)")

    cadre = models.ForeignKey(
        "cadres.Cadre", verbose_name=_("cadre"), on_delete=models.PROTECT, related_name="occasions"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    occurred_on = models.DateField(_("occurred on"))
    due_on = models.DateField(_("visit due on"))
    # May name an illness: shown only to roles that see personal details.
    note = models.CharField(_("note"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        "accounts.User",
        verbose_name=_("recorded by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("occasion")
        verbose_name_plural = _("occasions")
        ordering = ["-occurred_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["cadre", "kind", "occurred_on"], name="one_occasion_per_cadre_kind_day"
            ),
            models.CheckConstraint(
                condition=Q(due_on__gte=F("occurred_on")), name="occasion_due_after_occurred"
            ),
        ]
        indexes = [
            models.Index(fields=["due_on", "id"], name="occasion_due_idx"),
            models.Index(fields=["kind", "occurred_on"], name="occasion_kind_occurred_idx"),
        ]

    def __str__(self):
        return f"{self.cadre.name} · {self.get_kind_display()} · {self.occurred_on:%Y-%m-%d}"

    def get_absolute_url(self):
        return reverse("benefits:occasion_detail", args=[self.pk])


ROUTINE = "routine"
VISIT_REASONS = [*Occasion.Kind.choices, (ROUTINE, _("Routine visit"))]


class Visit(TimeStampedModel):
    """A visit to a cadre (or, after a death, to the family); one for an occasion closes it."""

    cadre = models.ForeignKey(
        "cadres.Cadre", verbose_name=_("cadre"), on_delete=models.PROTECT, related_name="visits"
    )
    occasion = models.ForeignKey(
        Occasion,
        verbose_name=_("occasion"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="visits",
    )
    reason = models.CharField(_("reason"), max_length=20, choices=VISIT_REASONS, default=ROUTINE)
    visited_on = models.DateField(_("visited on"))
    visitors = models.CharField(
        _("visitors"), max_length=300, help_text=_("Staff, branch members and leaders who went.")
    )
    gift = models.CharField(_("gift"), max_length=200, blank=True)
    condolence_money = models.DecimalField(
        _("condolence money"), max_digits=10, decimal_places=2, null=True, blank=True
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
        verbose_name = _("visit")
        verbose_name_plural = _("visits")
        ordering = ["-visited_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(condolence_money__isnull=True) | Q(condolence_money__gte=0),
                name="visit_money_not_negative",
            ),
        ]
        indexes = [models.Index(fields=["visited_on", "id"], name="visit_visited_idx")]

    def __str__(self):
        return f"{self.cadre.name} · {self.get_reason_display()} · {self.visited_on:%Y-%m-%d}"

    def get_absolute_url(self):
        return reverse("benefits:visit_detail", args=[self.pk])


class VisitPhoto(Photo):
    """A photo of a visit."""

    upload_dir = "visits"

    visit = models.ForeignKey(Visit, verbose_name=_("visit"), on_delete=models.CASCADE, related_name="photos")

    class Meta(Photo.Meta):
        verbose_name = _("visit photo")
        verbose_name_plural = _("visit photos")


class ContactAssignment(TimeStampedModel):
    """A staff member keeps in touch with a cadre every `interval_days` (一对一联系)."""

    staff = models.ForeignKey(
        "accounts.User",
        verbose_name=_("staff member"),
        on_delete=models.PROTECT,
        related_name="contact_assignments",
    )
    cadre = models.ForeignKey(
        "cadres.Cadre", verbose_name=_("cadre"), on_delete=models.PROTECT, related_name="contact_assignments"
    )
    interval_days = models.PositiveIntegerField(_("contact every (days)"), default=30)
    started_on = models.DateField(_("started on"))
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("contact assignment")
        verbose_name_plural = _("contact assignments")
        ordering = ["-started_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["cadre"],
                condition=Q(ended_on__isnull=True),
                name="one_open_contact_assignment_per_cadre",
            ),
            models.CheckConstraint(condition=Q(interval_days__gt=0), name="contact_interval_positive"),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=F("started_on")),
                name="contact_assignment_ended_after_started",
            ),
        ]

    def __str__(self):
        return f"{self.staff} → {self.cadre.name}"

    def get_absolute_url(self):
        return reverse("benefits:assignment_detail", args=[self.pk])

    @property
    def is_open(self):
        return self.ended_on is None


class ContactLog(TimeStampedModel):
    """One contact made under an assignment."""

    class Method(models.TextChoices):
        VISIT = "visit", _("Visit")
        PHONE = "phone", _("Phone call")
        VIDEO = "video", _("Video call")

    assignment = models.ForeignKey(
        ContactAssignment, verbose_name=_("contact assignment"), on_delete=models.CASCADE, related_name="logs"
    )
    contacted_on = models.DateField(_("contacted on"))
    method = models.CharField(_("method"), max_length=10, choices=Method.choices, default=Method.PHONE)
    note = models.CharField(_("note"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        "accounts.User",
        verbose_name=_("recorded by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("contact log")
        verbose_name_plural = _("contact logs")
        ordering = ["-contacted_on", "-id"]
        indexes = [models.Index(fields=["assignment", "contacted_on"], name="contact_log_assignment_idx")]

    def __str__(self):
        return f"{self.assignment} · {self.contacted_on:%Y-%m-%d}"


class CondolenceCampaign(TimeStampedModel):
    """A holiday condolence campaign (慰问): every cadre in its scope visited or given a gift, tracked
    to completion. One owned by a branch is that branch's; one without is the bureau's."""

    class Festival(models.TextChoices):
        SPRING_FESTIVAL = "spring_festival", _("Spring Festival")
        JULY_FIRST = "july_first", _("Party Day (1 July)")
        NATIONAL_DAY = "national_day", _("National Day")
        CHONGYANG = "chongyang", _("Double Ninth Festival")
        OTHER = "other", _("Other")

    name = models.CharField(_("name"), max_length=120)
    festival = models.CharField(_("festival"), max_length=20, choices=Festival.choices)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    branch = models.ForeignKey(
        "branches.Branch",
        verbose_name=_("branch"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="condolence_campaigns",
        help_text=_("Cadres of this branch and below; leave empty for the whole city."),
    )
    area = models.ForeignKey(
        "branches.Area",
        verbose_name=_("area"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="condolence_campaigns",
        help_text=_("Cadres of this area and below; leave empty for every area."),
    )
    retirement_type = models.CharField(
        _("retirement type"), max_length=6, choices=Cadre.RetirementType.choices, blank=True
    )
    min_age = models.PositiveSmallIntegerField(_("from age"), null=True, blank=True)
    max_age = models.PositiveSmallIntegerField(_("to age"), null=True, blank=True)
    gift = models.CharField(_("gift"), max_length=200, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("condolence campaign")
        verbose_name_plural = _("condolence campaigns")
        ordering = ["-starts_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")), name="condolence_campaign_ends_after_start"
            ),
            models.CheckConstraint(
                condition=Q(min_age__isnull=True) | Q(max_age__isnull=True) | Q(max_age__gte=F("min_age")),
                name="condolence_campaign_age_range",
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("benefits:campaign_detail", args=[self.pk])


class CondolenceTarget(models.Model):
    """A cadre the campaign must reach; ticked off by a visit or by a gift delivered."""

    campaign = models.ForeignKey(
        CondolenceCampaign,
        verbose_name=_("condolence campaign"),
        on_delete=models.CASCADE,
        related_name="targets",
    )
    cadre = models.ForeignKey(
        "cadres.Cadre", verbose_name=_("cadre"), on_delete=models.PROTECT, related_name="condolence_targets"
    )
    visit = models.OneToOneField(
        Visit,
        verbose_name=_("visit"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="condolence_target",
    )
    gift_given_on = models.DateField(_("gift given on"), null=True, blank=True)

    class Meta:
        verbose_name = _("condolence target")
        verbose_name_plural = _("condolence targets")
        ordering = ["campaign", "cadre_id"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "cadre"], name="one_target_per_campaign_and_cadre"),
        ]

    def __str__(self):
        return f"{self.campaign} · {self.cadre.name}"

    @property
    def is_done(self):
        return self.visit_id is not None or self.gift_given_on is not None


class HealthCheck(TimeStampedModel):
    """A cadre's health check (体检), part of living treatment; its findings are personal."""

    cadre = models.ForeignKey(
        "cadres.Cadre", verbose_name=_("cadre"), on_delete=models.PROTECT, related_name="health_checks"
    )
    checked_on = models.DateField(_("checked on"))
    institution = models.CharField(_("hospital or institution"), max_length=120)
    findings = models.CharField(_("findings"), max_length=500, blank=True)
    recorded_by = models.ForeignKey(
        "accounts.User",
        verbose_name=_("recorded by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("health check")
        verbose_name_plural = _("health checks")
        ordering = ["-checked_on", "-id"]
        indexes = [models.Index(fields=["checked_on", "id"], name="health_check_checked_idx")]

    def __str__(self):
        return f"{self.cadre.name} · {self.checked_on:%Y-%m-%d}"


class SanatoriumTrip(TimeStampedModel):
    """A sanatorium trip (疗养) with a quota of places; one owned by a branch is that branch's."""

    name = models.CharField(_("name"), max_length=120)
    destination = models.CharField(_("destination"), max_length=120)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    quota = models.PositiveIntegerField(_("quota"))
    branch = models.ForeignKey(
        "branches.Branch",
        verbose_name=_("branch"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="sanatorium_trips",
        help_text=_("Leave empty for a trip of the bureau itself."),
    )
    participants = models.ManyToManyField(
        "cadres.Cadre", verbose_name=_("participants"), blank=True, related_name="sanatorium_trips"
    )
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("sanatorium trip")
        verbose_name_plural = _("sanatorium trips")
        ordering = ["-starts_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")), name="sanatorium_trip_ends_after_start"
            ),
            models.CheckConstraint(condition=Q(quota__gt=0), name="sanatorium_trip_quota_positive"),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("benefits:trip_detail", args=[self.pk])


class MedalAward(TimeStampedModel):
    """A medal or honour awarded to a cadre: the 50-years-in-the-Party medal or honourable retirement."""

    class Kind(models.TextChoices):
        PARTY_50_YEARS = "party_50_years", _("50 years in the Party medal")
        HONOURABLE_RETIREMENT = "honourable_retirement", _("Honourable retirement")

    cadre = models.ForeignKey(
        "cadres.Cadre", verbose_name=_("cadre"), on_delete=models.PROTECT, related_name="medals"
    )
    kind = models.CharField(_("kind"), max_length=24, choices=Kind.choices)
    awarded_on = models.DateField(_("awarded on"))
    note = models.CharField(_("note"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        "accounts.User",
        verbose_name=_("recorded by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("medal award")
        verbose_name_plural = _("medal awards")
        ordering = ["-awarded_on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["cadre", "kind"], name="one_medal_of_a_kind_per_cadre")
        ]
        indexes = [models.Index(fields=["awarded_on", "id"], name="medal_awarded_idx")]

    def __str__(self):
        return f"{self.cadre.name} · {self.get_kind_display()}"
