"""A branch's records beyond its meetings: dues, yearly ratings, commendations, alliances,
studios and the rules of the points system.

branches.models imports this module at its end, so foreign keys name their targets by
string ("branches.Branch") rather than importing them back.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.models import TimeStampedModel

__all__ = ["BranchAlliance", "BranchRating", "Commendation", "DuesPayment", "PointRule", "Studio"]


class DuesPayment(TimeStampedModel):
    """Party dues a member paid: monthly dues for one month, or special or large dues."""

    class Kind(models.TextChoices):
        MONTHLY = "monthly", _("Monthly dues")
        SPECIAL = "special", _("Special dues")
        LARGE = "large", _("Large dues")

    branch = models.ForeignKey(
        "branches.Branch", verbose_name=_("branch"), on_delete=models.PROTECT, related_name="dues_payments"
    )
    cadre = models.ForeignKey(
        "cadres.Cadre", verbose_name=_("cadre"), on_delete=models.PROTECT, related_name="dues_payments"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.MONTHLY)
    # The first day of the month the payment covers; only monthly dues cover a month.
    month = models.DateField(_("month covered"), null=True, blank=True)
    amount = models.DecimalField(_("amount"), max_digits=10, decimal_places=2)
    paid_on = models.DateField(_("paid on"))
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("dues payment")
        verbose_name_plural = _("dues payments")
        ordering = ["-paid_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="dues_amount_positive"),
            models.CheckConstraint(
                condition=Q(kind="monthly", month__isnull=False)
                | (~Q(kind="monthly") & Q(month__isnull=True)),
                name="dues_month_only_for_monthly",
            ),
            models.UniqueConstraint(
                fields=["cadre", "month"], condition=Q(kind="monthly"), name="one_monthly_dues_per_month"
            ),
        ]
        indexes = [models.Index(fields=["branch", "paid_on"], name="dues_branch_paid_idx")]

    def __str__(self):
        return f"{self.cadre} {self.get_kind_display()} {self.amount}"

    def clean(self):
        if self.month is not None and self.month.day != 1:
            raise ValidationError({"month": _("Give the first day of the month the dues cover.")})


class BranchRating(TimeStampedModel):
    """A branch's star rating and model titles from one year's assessment (评价)."""

    class Title(models.TextChoices):
        SIX_GOOD = "six_good", _("Six-good branch")
        FIVE_STANDARD = "five_standard", _("Five-standard branch")
        MODEL = "model", _("Model branch")

    branch = models.ForeignKey(
        "branches.Branch", verbose_name=_("branch"), on_delete=models.CASCADE, related_name="ratings"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    stars = models.PositiveSmallIntegerField(_("stars"))
    titles = models.JSONField(_("titles"), default=list, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("branch rating")
        verbose_name_plural = _("branch ratings")
        ordering = ["branch", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["branch", "year"], name="one_rating_per_branch_year"),
            models.CheckConstraint(condition=Q(stars__gte=1, stars__lte=5), name="rating_stars_1_to_5"),
        ]

    def __str__(self):
        return f"{self.branch} {self.year}"

    @property
    def title_labels(self):
        return [self.Title(code).label for code in self.titles or [] if code in self.Title.values]

    def clean(self):
        if not isinstance(self.titles, list) or not set(self.titles) <= set(self.Title.values):
            raise ValidationError(
                {
                    "titles": _("Titles must be a list of: %(codes)s.")
                    % {"codes": ", ".join(self.Title.values)}
                }
            )


class Commendation(TimeStampedModel):
    """A yearly commendation (三级联创 and others) of a branch or a member."""

    class Kind(models.TextChoices):
        MODEL_BRANCH = "model_branch", _("Model branch")
        EXCELLENT_SECRETARY = "excellent_secretary", _("Excellent secretary")
        EXCELLENT_MEMBER = "excellent_member", _("Excellent member")
        OTHER = "other", _("Other")

    year = models.PositiveSmallIntegerField(_("year"))
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    branch = models.ForeignKey(
        "branches.Branch",
        verbose_name=_("branch"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="commendations",
    )
    cadre = models.ForeignKey(
        "cadres.Cadre",
        verbose_name=_("cadre"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="commendations",
    )
    title = models.CharField(_("title"), max_length=200)
    issuing_body = models.CharField(_("issued by"), max_length=120, blank=True)

    class Meta:
        verbose_name = _("commendation")
        verbose_name_plural = _("commendations")
        ordering = ["-year", "kind", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="model_branch", branch__isnull=False)
                | Q(kind__in=["excellent_secretary", "excellent_member"], cadre__isnull=False)
                | Q(kind="other"),
                name="commendation_has_its_subject",
            ),
        ]

    def __str__(self):
        return f"{self.year} {self.title}"


class BranchAlliance(TimeStampedModel):
    """Branches paired (联支强基) to share venues, training and activities."""

    name = models.CharField(pgettext_lazy("organisation", "name"), max_length=120)
    branches = models.ManyToManyField("branches.Branch", verbose_name=_("branches"), related_name="alliances")
    founded_on = models.DateField(_("founded on"))
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("branch alliance")
        verbose_name_plural = _("branch alliances")
        ordering = ["-founded_on", "id"]

    def __str__(self):
        return self.name


class Studio(TimeStampedModel):
    """A veteran member's workroom (老党员工作室) in a community."""

    name = models.CharField(pgettext_lazy("organisation", "name"), max_length=120)
    area = models.ForeignKey(
        "branches.Area",
        verbose_name=_("area"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="studios",
    )
    community = models.CharField(_("community"), max_length=120, blank=True)
    run_by = models.ForeignKey(
        "cadres.Cadre",
        verbose_name=_("run by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="studios",
    )
    founded_on = models.DateField(_("founded on"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("studio")
        verbose_name_plural = _("studios")
        ordering = ["name", "id"]

    def __str__(self):
        return self.name


class PointRule(TimeStampedModel):
    """How many points (积分制) one kind of deed earns; rules are data, edited by bureau admins."""

    class Source(models.TextChoices):
        ATTENDANCE_PRESENT = "attendance_present", _("Present at an activity")
        ACTIVITY_PRESENTER = "activity_presenter", _("Presenter at an activity")
        OTHER = "other", _("Other")

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(pgettext_lazy("organisation", "name"), max_length=60)
    points = models.SmallIntegerField(_("points"))
    source = models.CharField(_("source"), max_length=20, choices=Source.choices)
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta:
        verbose_name = _("point rule")
        verbose_name_plural = _("point rules")
        ordering = ["source", "code"]

    def __str__(self):
        return self.name
