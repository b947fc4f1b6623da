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
]
_WRITE_ACTIVITIES = ["branches.add_activity", "branches.change_activity", "branches.delete_activity"]
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
    ],
    Role.AUDITOR: _READ_REGISTRY + ["auditlog.view_logentry"],
}
