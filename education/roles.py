"""The senior-university permissions each role's group holds; merged into accounts.roles.ROLE_PERMISSIONS.

What a role may do is one thing; which rows it may do it to is education.scoping's.
"""

from accounts.models import Role

_MODELS = ["seniorschool", "course", "enrolment"]

_VIEW = [f"education.view_{model}" for model in _MODELS]
_WRITE_ALL = [f"education.{action}_{model}" for model in _MODELS for action in ("add", "change", "delete")]

ROLE_PERMISSIONS: dict[str, list[str]] = {
    # The university, its branch schools, courses and enrolments are the bureau's to keep.
    Role.BUREAU_ADMIN: _VIEW + _WRITE_ALL,
    Role.BUREAU_STAFF: _VIEW + _WRITE_ALL,
    # A secretary reads their own members' enrolments, and the schools and courses those are in.
    Role.BRANCH_SECRETARY: _VIEW,
    Role.AUDITOR: _VIEW,
    # TEAM_LEADER (volunteers) has no senior-university permissions.
}
