"""The reminders permissions each role's group holds; merged into accounts.roles.ROLE_PERMISSIONS.

Every role that receives reminders sees and closes its own; which rows is reminders.selectors'
(the recipient's).
"""

from accounts.models import Role

_INBOX = ["reminders.view_reminder", "reminders.change_reminder"]

ROLE_PERMISSIONS: dict[str, list[str]] = {
    Role.BUREAU_ADMIN: _INBOX,
    Role.BUREAU_STAFF: _INBOX,
    Role.BRANCH_SECRETARY: _INBOX,
    Role.AUDITOR: ["reminders.view_reminder"],
}
