"""Which Django permissions each role's group holds. Groups are named after the role."""

from accounts.models import Role

_READ_REGISTRY = [
    "cadres.view_cadre",
    "branches.view_branch",
    "branches.view_area",
    "branches.view_branchofficer",
    "branches.view_branchmembership",
    "branches.view_activity",
    "branches.view_activitykind",
    "branches.view_duespayment",
    "branches.view_branchrating",
    "branches.view_commendation",
    "branches.view_branchalliance",
    "branches.view_studio",
    "branches.view_pointrule",
]
_WRITE_ACTIVITIES = ["branches.add_activity", "branches.change_activity", "branches.delete_activity"]
_WRITE_DUES = ["branches.add_duespayment", "branches.change_duespayment"]
_WRITE_REGISTRY = [
    "cadres.add_cadre",
    "cadres.change_cadre",
    "branches.add_branch",
    "branches.change_branch",
    "branches.add_area",
    "branches.change_area",
    "branches.add_branchofficer",
    "branches.change_branchofficer",
    "branches.delete_branchofficer",
    "branches.add_branchmembership",
    "branches.change_branchmembership",
    *_WRITE_ACTIVITIES,
    *_WRITE_DUES,
    "branches.delete_duespayment",
    "branches.add_branchrating",
    "branches.change_branchrating",
    "branches.add_commendation",
    "branches.change_commendation",
    "branches.delete_commendation",
    "branches.add_branchalliance",
    "branches.change_branchalliance",
    "branches.delete_branchalliance",
    "branches.add_studio",
    "branches.change_studio",
    "branches.delete_studio",
]

ROLE_PERMISSIONS: dict[str, list[str]] = {
    Role.BUREAU_ADMIN: _READ_REGISTRY
    + _WRITE_REGISTRY
    + [
        "cadres.delete_cadre",
        "cadres.view_full_id_number",
        "cadres.view_sensitive_details",
        "branches.delete_branch",
        "branches.add_activitykind",
        "branches.change_activitykind",
        # The points system's rules are bureau policy, like the kinds of activity.
        "branches.add_pointrule",
        "branches.change_pointrule",
        "accounts.view_user",
        "accounts.add_user",
        "accounts.change_user",
        "auditlog.view_logentry",
    ],
    Role.BUREAU_STAFF: _READ_REGISTRY
    + _WRITE_REGISTRY
    + ["cadres.view_full_id_number", "cadres.view_sensitive_details"],
    # A secretary works with their own members: phones yes, ID numbers no.
    Role.BRANCH_SECRETARY: _READ_REGISTRY
    + [
        "cadres.change_cadre",
        "cadres.view_sensitive_details",
        "branches.add_branchofficer",
        "branches.change_branchofficer",
        *_WRITE_ACTIVITIES,
        *_WRITE_DUES,
    ],
    Role.AUDITOR: _READ_REGISTRY + ["auditlog.view_logentry"],
}


def _merge_app_permissions() -> None:
    """Each app lists its own permissions per role in `<app>/roles.py`; here they join the rest."""
    from benefits.roles import ROLE_PERMISSIONS as BENEFIT_PERMISSIONS
    from education.roles import ROLE_PERMISSIONS as EDUCATION_PERMISSIONS
    from imports.roles import ROLE_PERMISSIONS as IMPORT_PERMISSIONS
    from outreach.roles import ROLE_PERMISSIONS as OUTREACH_PERMISSIONS
    from reminders.roles import ROLE_PERMISSIONS as REMINDER_PERMISSIONS
    from volunteers.roles import ROLE_PERMISSIONS as VOLUNTEER_PERMISSIONS

    for app_permissions in (
        VOLUNTEER_PERMISSIONS,
        OUTREACH_PERMISSIONS,
        BENEFIT_PERMISSIONS,
        EDUCATION_PERMISSIONS,
        REMINDER_PERMISSIONS,
        IMPORT_PERMISSIONS,
    ):
        for role, permissions in app_permissions.items():
            ROLE_PERMISSIONS.setdefault(role, []).extend(permissions)


_merge_app_permissions()
