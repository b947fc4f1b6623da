"""The side navigation: which pages each user is offered, in which section, and which is current.

Adding a page to the navigation is one entry here; the template only loops.
"""

import dataclasses
from collections.abc import Callable
from fnmatch import fnmatchcase

from django.urls import reverse
from django.utils.translation import gettext_lazy as _


@dataclasses.dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    # View names (fnmatch patterns) for which this entry is the current one.
    current_on: tuple[str, ...]
    perm: str = ""
    shown_to: Callable | None = None


@dataclasses.dataclass(frozen=True)
class NavSection:
    heading: str
    items: tuple[NavItem, ...]


def _is_secretary(user) -> bool:
    return user.is_branch_secretary


def _is_staff(user) -> bool:
    return user.is_staff


NAVIGATION = (
    NavSection(
        "",
        (
            NavItem(_("Dashboard"), "reports:dashboard", ("reports:dashboard",)),
            NavItem(_("Cadre registry"), "cadres:cadre_list", ("cadres:*",), perm="cadres.view_cadre"),
            NavItem(_("My branch"), "branches:my_branch", ("branches:my_branch",), shown_to=_is_secretary),
            NavItem(
                _("Party organisations"),
                "branches:branch_list",
                (
                    "branches:branch_*",
                    "branches:officer_*",
                    "branches:rating_set",
                    "branches:dues_ledger",
                ),
                perm="branches.view_branch",
            ),
            NavItem(
                _("Branch activities"),
                "branches:activity_list",
                ("branches:activity_*",),
                perm="branches.view_activity",
            ),
            NavItem(
                _("Branch life compliance"),
                "reports:compliance",
                ("reports:compliance",),
                perm="branches.view_branch",
            ),
        ),
    ),
    NavSection(
        _("Honours and alliances"),
        (
            NavItem(
                _("Commendations"),
                "branches:commendation_list",
                ("branches:commendation_*",),
                perm="branches.view_commendation",
            ),
            NavItem(
                _("Branch alliances"),
                "branches:alliance_list",
                ("branches:alliance_*",),
                perm="branches.view_branchalliance",
            ),
            NavItem(
                _("Studios"), "branches:studio_list", ("branches:studio_*",), perm="branches.view_studio"
            ),
        ),
    ),
    NavSection(
        _("Oversight"),
        (
            NavItem(
                _("Audit log"), "accounts:audit_log", ("accounts:audit_log",), perm="auditlog.view_logentry"
            ),
            NavItem(_("Administration"), "admin:index", ("admin:*",), shown_to=_is_staff),
        ),
    ),
)


def navigation_for(user, view_name: str) -> list[dict]:
    """The sections `user` is offered, each with its entries, the current one marked."""
    sections = []
    for section in NAVIGATION:
        entries = [
            {
                "label": item.label,
                "url": reverse(item.url_name),
                "current": any(fnmatchcase(view_name, pattern) for pattern in item.current_on),
            }
            for item in section.items
            if (not item.perm or user.has_perm(item.perm)) and (item.shown_to is None or item.shown_to(user))
        ]
        if entries:
            sections.append({"heading": section.heading, "entries": entries})
    return sections
