from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _sync_role_groups(sender, **kwargs):
    # Permissions exist only after post_migrate has run for every app, so the groups are
    # kept in step here, the way django.contrib.auth creates permissions.
    from accounts.services import roles_sync_groups

    roles_sync_groups(using=kwargs.get("using", "default"))


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Accounts and access")

    def ready(self):
        post_migrate.connect(_sync_role_groups, dispatch_uid="accounts_sync_role_groups")
