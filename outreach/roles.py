"""The outreach permissions each role's group holds; merged into accounts.roles.ROLE_PERMISSIONS."""

ROLE_PERMISSIONS: dict[str, list[str]] = {}
