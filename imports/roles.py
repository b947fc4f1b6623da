"""The import permissions each role's group holds; merged into accounts.roles.ROLE_PERMISSIONS.

Bureau staff and administrators import for the whole city, a branch secretary for their own
branches (imports.planning keeps each row to the user's scope); auditors and volunteer team
leaders import nothing.
"""

from accounts.models import Role

_IMPORT = ["imports.add_importjob", "imports.view_importjob"]

ROLE_PERMISSIONS: dict[str, list[str]] = {
    Role.BUREAU_ADMIN: _IMPORT,
    Role.BUREAU_STAFF: _IMPORT,
    Role.BRANCH_SECRETARY: _IMPORT,
}
