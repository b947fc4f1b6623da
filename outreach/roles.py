"""The outreach permissions each role's group holds; merged into accounts.roles.ROLE_PERMISSIONS.

What a role may do is one thing; which rows it may do it to is outreach.scoping's.
"""

from accounts.models import Role

_MODELS = ["lecturegroup", "lecturegroupmembership", "lecturer", "talkevent", "campaign", "publicity"]

_VIEW = [f"outreach.view_{model}" for model in _MODELS]
_WRITE_ALL = [f"outreach.{action}_{model}" for model in _MODELS for action in ("add", "change", "delete")]

ROLE_PERMISSIONS: dict[str, list[str]] = {
    Role.BUREAU_ADMIN: _VIEW + _WRITE_ALL,
    Role.BUREAU_STAFF: _VIEW + _WRITE_ALL,
    # A secretary records the talks of their own branch's groups, keeps those groups' rolls and
    # profiles their own members as lecturers; groups, campaigns and publicity are the bureau's.
    Role.BRANCH_SECRETARY: _VIEW
    + [
        "outreach.add_talkevent",
        "outreach.change_talkevent",
        "outreach.delete_talkevent",
        "outreach.add_lecturer",
        "outreach.change_lecturer",
        "outreach.add_lecturegroupmembership",
        "outreach.change_lecturegroupmembership",
    ],
    Role.AUDITOR: _VIEW,
    # TEAM_LEADER (volunteers) has no outreach permissions.
}
