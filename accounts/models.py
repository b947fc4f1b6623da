from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    BUREAU_ADMIN = "bureau_admin", _("Bureau administrator")
    BUREAU_STAFF = "bureau_staff", _("Bureau staff")
    BRANCH_SECRETARY = "branch_secretary", _("Branch secretary")
    AUDITOR = "auditor", _("Auditor")
    TEAM_LEADER = "team_leader", _("Volunteer team leader")


class User(AbstractUser):
    """A portal user; the role decides the group (permissions) and, for secretaries, the branch."""

    role = models.CharField(_("role"), max_length=20, choices=Role.choices, blank=True)
    branch = models.ForeignKey(
        "branches.Branch",
        verbose_name=_("branch"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="secretaries",
        help_text=_("The branch a branch secretary looks after; they see it and everything below it."),
    )
    volunteer_team = models.ForeignKey(
        "volunteers.VolunteerTeam",
        verbose_name=_("volunteer team"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="leader_accounts",
        help_text=_("The team a volunteer team leader looks after; they see it and every team below it."),
    )
    phone = models.CharField(_("phone"), max_length=20, blank=True)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.CheckConstraint(
                condition=~Q(role="branch_secretary") | Q(branch__isnull=False),
                name="secretary_has_branch",
            ),
            models.CheckConstraint(
                condition=~Q(role="team_leader") | Q(volunteer_team__isnull=False),
                name="team_leader_has_team",
            ),
        ]

    def clean(self):
        super().clean()
        if self.role == Role.BRANCH_SECRETARY and self.branch_id is None:
            raise ValidationError({"branch": _("A branch secretary must be tied to a branch.")})
        if self.role == Role.TEAM_LEADER and self.volunteer_team_id is None:
            raise ValidationError({"volunteer_team": _("A volunteer team leader must be tied to a team.")})

    @property
    def is_branch_secretary(self):
        return self.role == Role.BRANCH_SECRETARY

    @property
    def is_team_leader(self):
        return self.role == Role.TEAM_LEADER

    @property
    def is_bureau_wide(self):
        """True for users who see every branch: superusers and the bureau roles."""
        return self.is_superuser or self.role in (Role.BUREAU_ADMIN, Role.BUREAU_STAFF, Role.AUDITOR)
