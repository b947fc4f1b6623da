"""The reminders' ledger: one row per rule, person, occasion and recipient, written once."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class Reminder(models.Model):
    class Rule(models.TextChoices):
        BIRTHDAY = "birthday", _("Birthday")
        LUNAR_BIRTHDAY = "lunar_birthday", _("Lunar birthday")
        MILESTONE_BIRTHDAY = "milestone_birthday", _("Milestone birthday")
        POLITICAL_BIRTHDAY = "political_birthday", _("Political birthday")
        MEDAL_50_YEARS = "medal_50_years", _("50 years in the Party medal")
        OFFICER_TERM_END = "officer_term_end", _("Branch officer's term ends")
        VISIT_DUE = "visit_due", _("Visit due")
        VISIT_OVERDUE = "visit_overdue", _("Visit overdue")
        CONTACT_OVERDUE = "contact_overdue", _("Contact overdue")

    rule = models.CharField(_("rule"), max_length=24, choices=Rule.choices)
    cadre = models.ForeignKey(
        "cadres.Cadre", verbose_name=_("cadre"), on_delete=models.CASCADE, related_name="reminders"
    )
    officer = models.ForeignKey(
        "branches.BranchOfficer",
        verbose_name=_("branch officer"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="reminders",
        db_index=False,  # a partial index below
    )
    # The 六必访 occasion a visit reminder is for, and the one-to-one contact a contact reminder is
    # for: recording the visit or the contact closes them.
    visit_occasion = models.ForeignKey(
        "benefits.Occasion",
        verbose_name=_("occasion"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="reminders",
        db_index=False,  # a partial index below
    )
    contact_assignment = models.ForeignKey(
        "benefits.ContactAssignment",
        verbose_name=_("contact assignment"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="reminders",
        db_index=False,  # a partial index below
    )
    occasion_date = models.DateField(_("occasion date"))
    due_on = models.DateField(_("due on"))
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient"),
        on_delete=models.CASCADE,
        related_name="reminders",
        db_index=False,  # reminder_recipient_rule_idx leads with it
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    # Set when the recipient's daily e-mail digest has taken the reminder: each goes out once.
    notified_at = models.DateTimeField(_("e-mailed at"), null=True, blank=True, editable=False)
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("done by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,  # nothing looks reminders up by who closed them
    )

    class Meta:
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")
        ordering = ["-due_on", "-id"]
        constraints = [
            # Once per person, occasion and recipient: a second run, a retried task or a second
            # beat inserts nothing (bulk_create(ignore_conflicts=True) in reminders.services).
            models.UniqueConstraint(
                fields=["rule", "cadre", "occasion_date", "recipient"],
                condition=Q(visit_occasion__isnull=True),
                name="reminder_once_per_occasion",
            ),
            # Two occasions of one cadre on one day (a fall and a hospital stay) are two visits.
            models.UniqueConstraint(
                fields=["rule", "visit_occasion", "recipient"],
                condition=Q(visit_occasion__isnull=False),
                name="reminder_once_per_visit_occasion",
            ),
            models.CheckConstraint(
                condition=Q(done_at__isnull=False) | Q(done_by__isnull=True),
                name="reminder_done_by_only_when_done",
            ),
        ]
        indexes = [
            # The inbox and its badge: a user's open reminders, newest due first.
            models.Index(
                fields=["recipient", "-due_on", "-id"],
                condition=Q(done_at__isnull=True),
                name="reminder_open_idx",
            ),
            models.Index(fields=["recipient", "rule", "-due_on"], name="reminder_recipient_rule_idx"),
            # Closing a visited occasion's or a kept contact's reminders, and deleting with them:
            # partial, as most reminders have neither.
            models.Index(
                fields=["visit_occasion"],
                condition=Q(visit_occasion__isnull=False),
                name="reminder_occasion_idx",
            ),
            models.Index(
                fields=["contact_assignment"],
                condition=Q(contact_assignment__isnull=False),
                name="reminder_assignment_idx",
            ),
            models.Index(fields=["officer"], condition=Q(officer__isnull=False), name="reminder_officer_idx"),
            # The daily digest: open reminders not yet e-mailed.
            models.Index(
                fields=["due_on"],
                condition=Q(notified_at__isnull=True, done_at__isnull=True),
                name="reminder_to_email_idx",
            ),
        ]

    def __str__(self):
        return f"{self.get_rule_display()} {self.cadre} {self.occasion_date}"

    def get_absolute_url(self):
        return reverse("reminders:inbox") + f"?rule={self.rule}"

    def subject_url(self) -> str:
        """Where the reminder is acted on: the occasion to visit, the contact to make, else the cadre."""
        if self.visit_occasion_id:
            return reverse("benefits:occasion_detail", args=[self.visit_occasion_id])
        if self.contact_assignment_id:
            return reverse("benefits:assignment_detail", args=[self.contact_assignment_id])
        return self.cadre.get_absolute_url()

    @property
    def is_done(self) -> bool:
        return self.done_at is not None
