"""The registry of retired cadres (离退休干部), the portal's central record."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core import idcard
from core.models import TimeStampedModel


class Cadre(TimeStampedModel):
    class Sex(models.TextChoices):
        MALE = "M", _("Male")
        FEMALE = "F", _("Female")

    class RetirementType(models.TextChoices):
        # 离休: joined the revolution before 1 October 1949, with higher benefits.
        LIXIU = "lixiu", _("Lixiu")
        TUIXIU = "tuixiu", _("Tuixiu")

    class Rank(models.TextChoices):
        PROVINCIAL = "provincial", _("Provincial or ministerial")
        BUREAU = "bureau", _("Bureau (prefecture) level")
        COUNTY = "county", _("County (division) level")
        SECTION = "section", _("Township (section) level")
        OTHER = "other", _("Other")

    class BirthdayCalendar(models.TextChoices):
        SOLAR = "solar", _("Solar calendar")
        LUNAR = "lunar", _("Lunar calendar")

    class FiveElders(models.TextChoices):
        OLD_CADRE = "old_cadre", _("Old cadre")
        VETERAN = "veteran", _("Veteran soldier")
        EXPERT = "expert", _("Old expert")
        TEACHER = "teacher", _("Old teacher")
        MODEL_WORKER = "model_worker", _("Old model worker")

    name = models.CharField(pgettext_lazy("person", "name"), max_length=50)
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices)
    ethnicity = models.CharField(_("ethnicity"), max_length=20, default="汉族")
    id_number = models.CharField(_("ID number"), max_length=18, unique=True)
    birth_date = models.DateField(_("birth date"))
    # Many elders celebrate the lunar birthday; reminders follow the calendar they keep.
    birthday_calendar = models.CharField(
        _("birthday kept by"), max_length=5, choices=BirthdayCalendar.choices, default=BirthdayCalendar.SOLAR
    )
    retirement_type = models.CharField(_("retirement type"), max_length=6, choices=RetirementType.choices)
    retired_on = models.DateField(_("retired on"), null=True, blank=True)
    former_unit = models.CharField(_("former unit"), max_length=120, blank=True)
    former_post = models.CharField(_("former post"), max_length=120, blank=True)
    rank = models.CharField(_("rank"), max_length=12, choices=Rank.choices, blank=True)
    party_join_date = models.DateField(_("joined the Party on"), null=True, blank=True)
    five_elders = models.JSONField(_("five elders"), default=list, blank=True)
    area = models.ForeignKey(
        "branches.Area",
        verbose_name=_("area"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="cadres",
    )
    address = models.CharField(_("address"), max_length=200, blank=True)
    lives_elsewhere = models.BooleanField(_("lives elsewhere"), default=False)
    special_hardship = models.BooleanField(_("special hardship"), default=False)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    health_notes = models.TextField(_("health notes"), blank=True)
    emergency_contact = models.CharField(_("emergency contact"), max_length=100, blank=True)
    deceased_on = models.DateField(_("deceased on"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    # The current branch, kept by branches.services with the membership history: it
    # lets the one scoping rule filter a million cadres through one index, no join on history.
    branch = models.ForeignKey(
        "branches.Branch",
        verbose_name=_("current branch"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="cadres",
        editable=False,
    )
    # Birthday keys for the reminders' rules (reminders/rules.py), month * 100 + day, kept in
    # step with the dates by save(): "whose birthday is today" is then one indexed lookup.
    birth_month_day = models.PositiveSmallIntegerField(_("birth month and day"), null=True, editable=False)
    lunar_birth_year = models.PositiveSmallIntegerField(_("lunar birth year"), null=True, editable=False)
    # A leap-month (闰月) birth is stored under its ordinary month: that is when it is celebrated.
    lunar_birth_month_day = models.PositiveSmallIntegerField(
        _("lunar birth month and day"), null=True, editable=False
    )
    party_join_month_day = models.PositiveSmallIntegerField(
        _("Party joining month and day"), null=True, editable=False
    )

    class Meta:
        verbose_name = _("cadre")
        verbose_name_plural = _("cadres")
        ordering = ["id"]
        permissions = [
            ("view_full_id_number", _("Can see full ID numbers")),
            ("view_sensitive_details", _("Can see phones, health notes and emergency contacts")),
        ]
        indexes = [
            # The name search's index, ((name COLLATE "C"), id) on the living, is made by
            # migration 0002 on PostgreSQL only: SQLite has no "C" collation to index.
            # Lists show the living by default: this index pages, filters and counts them
            # without reading the table (an index-only scan on PostgreSQL).
            models.Index(
                fields=["id"],
                include=["branch", "area", "retirement_type", "birth_date", "party_join_date"],
                condition=Q(deceased_on__isnull=True),
                name="cadre_living_id_idx",
            ),
            models.Index(fields=["branch", "id"], name="cadre_branch_id_idx"),
            models.Index(fields=["area", "id"], name="cadre_area_id_idx"),
            models.Index(fields=["retirement_type", "id"], name="cadre_retirement_id_idx"),
            models.Index(fields=["birth_date"], name="cadre_birth_date_idx"),
            # The reminders' daily rules: birthdays by the calendar kept, Party anniversaries, medals.
            models.Index(
                fields=["birth_month_day"], condition=Q(birthday_calendar="solar"), name="cadre_birth_md_idx"
            ),
            models.Index(
                fields=["lunar_birth_month_day"],
                condition=Q(birthday_calendar="lunar"),
                name="cadre_lunar_birth_md_idx",
            ),
            models.Index(fields=["party_join_month_day"], name="cadre_party_join_md_idx"),
            models.Index(fields=["party_join_date"], name="cadre_party_join_date_idx"),
            # The few deceased: rules that join people in other tables (officers) leave them out
            # by an anti-join over this small index instead of walking the whole registry.
            models.Index(
                fields=["id", "deceased_on"],
                condition=Q(deceased_on__isnull=False),
                name="cadre_deceased_idx",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(deceased_on__isnull=True) | Q(deceased_on__gte=models.F("birth_date")),
                name="cadre_deceased_after_birth",
            ),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.set_calendar_keys()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and {"birth_date", "party_join_date"} & set(update_fields):
            kwargs["update_fields"] = {*update_fields, *self.CALENDAR_KEYS}
        super().save(*args, **kwargs)

    CALENDAR_KEYS = ("birth_month_day", "lunar_birth_year", "lunar_birth_month_day", "party_join_month_day")

    def set_calendar_keys(self) -> None:
        """Derive the birthday keys from birth_date and party_join_date (see the fields' comment)."""
        from reminders.lunar import solar_to_lunar

        birth = self.birth_date
        if isinstance(birth, dt.date):
            lunar = solar_to_lunar(birth)
            self.birth_month_day = birth.month * 100 + birth.day
            self.lunar_birth_year = lunar.year
            self.lunar_birth_month_day = lunar.month * 100 + lunar.day
        else:
            self.birth_month_day = self.lunar_birth_year = self.lunar_birth_month_day = None
        joined = self.party_join_date
        self.party_join_month_day = joined.month * 100 + joined.day if isinstance(joined, dt.date) else None

    def clean(self):
        super().clean()
        errors = {}
        self.id_number = idcard.normalize(self.id_number)
        try:
            idcard.validate_id_number(self.id_number)
        except ValidationError as error:
            errors["id_number"] = error.messages
        else:
            if self.birth_date and idcard.birth_date_of(self.id_number) != self.birth_date:
                errors["birth_date"] = [
                    _("The birth date %(entered)s disagrees with the ID number, which gives %(from_id)s.")
                    % {
                        "entered": self.birth_date.isoformat(),
                        "from_id": idcard.birth_date_of(self.id_number),
                    }
                ]
            if self.sex and idcard.sex_of(self.id_number) != self.sex:
                errors["sex"] = [
                    _("The sex disagrees with the ID number, which gives %(from_id)s.")
                    % {"from_id": self.Sex(idcard.sex_of(self.id_number)).label}
                ]
        unknown_tags = set(self.five_elders or []) - set(self.FiveElders.values)
        if unknown_tags:
            errors["five_elders"] = [
                _("Unknown five-elders tags: %(tags)s.") % {"tags": ", ".join(sorted(unknown_tags))}
            ]
        if self.retired_on and self.birth_date and self.retired_on <= self.birth_date:
            errors["retired_on"] = [_("The retirement date must come after the birth date.")]
        if errors:
            raise ValidationError(errors)

    def get_absolute_url(self):
        return reverse("cadres:cadre_detail", args=[self.pk])

    @property
    def five_elders_labels(self):
        return [self.FiveElders(tag).label for tag in self.five_elders or [] if tag in self.FiveElders.values]

    @property
    def is_party_member(self):
        return self.party_join_date is not None
