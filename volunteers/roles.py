"""The volunteers permissions each role's group holds; merged into accounts.roles.ROLE_PERMISSIONS.

What a role may do is one thing; which rows it may do it to is volunteers.scoping's.
"""

from accounts.models import Role

_MODELS = [
    "volunteerteam",
    "teammembership",
    "serviceproject",
    "patrolarea",
    "chiefpost",
    "servicerecord",
    "microwish",
]

_VIEW = [f"volunteers.view_{model}" for model in _MODELS]
_WRITE_ALL = [f"volunteers.{action}_{model}" for model in _MODELS for action in ("add", "change", "delete")]
_CLAIM_WISHES = ["volunteers.claim_microwish"]
_RECORD_SERVICE = ["volunteers.add_servicerecord", "volunteers.change_servicerecord"]
_KEEP_MEMBERSHIPS = ["volunteers.add_teammembership", "volunteers.change_teammembership"]

ROLE_PERMISSIONS: dict[str, list[str]] = {
    Role.BUREAU_ADMIN: _VIEW + _WRITE_ALL + _CLAIM_WISHES,
    Role.BUREAU_STAFF: _VIEW + _WRITE_ALL + _CLAIM_WISHES,
    # A secretary records their own people's service, appoints their members as chiefs, keeps the
    # rolls of their branch's teams, and posts, claims and fulfils wishes.
    Role.BRANCH_SECRETARY: _VIEW
    + _RECORD_SERVICE
    + _KEEP_MEMBERSHIPS
    + ["volunteers.add_chiefpost", "volunteers.change_chiefpost", "volunteers.add_microwish"]
    + _CLAIM_WISHES,
    # A team leader records their teams' service on a phone, keeps their rolls and claims wishes;
    # they hold no permission on the registry or on branch life.
    Role.TEAM_LEADER: _VIEW + _RECORD_SERVICE + _KEEP_MEMBERSHIPS + _CLAIM_WISHES,
    Role.AUDITOR: _VIEW,
}
