"""The care-and-benefits permissions each role's group holds; merged into accounts.roles.ROLE_PERMISSIONS.

What a role may do is one thing; which rows it may do it to is benefits.scoping's (the cadre's branch).
"""

from accounts.models import Role

_MODELS = [
    "occasion",
    "visit",
    "contactassignment",
    "contactlog",
    "condolencecampaign",
    "condolencetarget",
    "healthcheck",
    "sanatoriumtrip",
    "medalaward",
]

_VIEW = [f"benefits.view_{model}" for model in _MODELS]
_WRITE_ALL = [f"benefits.{action}_{model}" for model in _MODELS for action in ("add", "change", "delete")]

ROLE_PERMISSIONS: dict[str, list[str]] = {
    Role.BUREAU_ADMIN: _VIEW + _WRITE_ALL,
    Role.BUREAU_STAFF: _VIEW + _WRITE_ALL,
    # A secretary records occasions, visits and contacts for the own branch's cadres and may
    # assign a contact; deleting stays with the bureau.
    Role.BRANCH_SECRETARY: _VIEW
    + [
        "benefits.add_occasion",
        "benefits.change_occasion",
        "benefits.add_visit",
        "benefits.change_visit",
        "benefits.add_contactassignment",
        "benefits.change_contactassignment",
        "benefits.add_contactlog",
        # Ticks off the own members in a campaign; campaigns themselves are the bureau's.
        "benefits.change_condolencetarget",
        "benefits.add_healthcheck",
    ],
    Role.AUDITOR: _VIEW,
    # TEAM_LEADER (volunteers) has no care permissions.
}
