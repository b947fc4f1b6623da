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
    phone = models.CharField(_("phone"), max_length=20, blank=True)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.CheckConstraint(
                condition=~Q(role="branch_secretary") | Q(branch__isnull=False),
                name="secretary_has_branch",
            ),
        ]

    def clean(self):
        super().clean()
        if self.role == Role.BRANCH_SECRETARY and self.branch_id is None:
            raise ValidationError({"branch": _("A branch secretary must be tied to a branch.")})

    @property
    def is_branch_secretary(self):
        return self.role == Role.BRANCH_SECRETARY

    @property
    def is_bureau_wide(self):
        """True for users who see every branch: superusers and the bureau roles."""
        return self.is_superuser or self.role in (Role.BUREAU_ADMIN, Role.BUREAU_STAFF, Role.AUDITOR)
