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
    # A number shown beside the entry (e.g. open reminders); 0 shows nothing.
    badge: Callable | None = None


@dataclasses.dataclass(frozen=True)
class NavSection:
    heading: str
    items: tuple[NavItem, ...]


def _is_secretary(user) -> bool:
    return user.is_branch_secretary


def _open_reminders(user) -> int:
    from reminders.selectors import open_count

    return open_count(user=user)


def _sees_registry(user) -> bool:
    return not user.is_team_leader


def _is_staff(user) -> bool:
    return user.is_staff


NAVIGATION = (
    NavSection(
        "",
        (
            NavItem(_("Dashboard"), "reports:dashboard", ("reports:dashboard",), shown_to=_sees_registry),
            NavItem(
                _("Reminders"),
                "reminders:inbox",
                ("reminders:*",),
                perm="reminders.view_reminder",
                badge=_open_reminders,
            ),
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
            NavItem(
                _("Annual report"),
                "reports:annual",
                ("reports:annual", "reports:annual_*"),
                perm="branches.view_branch",
            ),
            NavItem(_("Import"), "imports:index", ("imports:*",), perm="imports.add_importjob"),
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
        _("Volunteer service"),
        (
            NavItem(
                _("Volunteer summary"),
                "volunteers:summary",
                ("volunteers:summary",),
                perm="volunteers.view_servicerecord",
            ),
            NavItem(
                _("Service records"),
                "volunteers:record_list",
                ("volunteers:record_*",),
                perm="volunteers.view_servicerecord",
            ),
            NavItem(
                _("Volunteer teams"),
                "volunteers:team_list",
                ("volunteers:team_*", "volunteers:membership_*"),
                perm="volunteers.view_volunteerteam",
            ),
            NavItem(
                _("Chief posts"),
                "volunteers:chief_post_list",
                ("volunteers:chief_post_*",),
                perm="volunteers.view_chiefpost",
            ),
            NavItem(
                _("Patrol areas"),
                "volunteers:patrol_area_list",
                ("volunteers:patrol_area_*",),
                perm="volunteers.view_patrolarea",
            ),
            NavItem(
                _("Service projects"),
                "volunteers:project_list",
                ("volunteers:project_*",),
                perm="volunteers.view_serviceproject",
            ),
            NavItem(
                _("Micro-wishes"),
                "volunteers:wish_list",
                ("volunteers:wish_*",),
                perm="volunteers.view_microwish",
            ),
        ),
    ),
    NavSection(
        _("Outreach"),
        (
            NavItem(
                _("Outreach summary"),
                "outreach:summary",
                ("outreach:summary",),
                perm="outreach.view_talkevent",
            ),
            NavItem(_("Talks"), "outreach:talk_list", ("outreach:talk_*",), perm="outreach.view_talkevent"),
            NavItem(
                _("Lecture groups"),
                "outreach:group_list",
                ("outreach:group_*", "outreach:membership_*"),
                perm="outreach.view_lecturegroup",
            ),
            NavItem(
                _("Lecturers"),
                "outreach:lecturer_list",
                ("outreach:lecturer_*",),
                perm="outreach.view_lecturer",
            ),
            NavItem(
                _("Campaigns"),
                "outreach:campaign_list",
                ("outreach:campaign_*",),
                perm="outreach.view_campaign",
            ),
            NavItem(
                _("Publicity"),
                "outreach:publicity_list",
                ("outreach:publicity_*",),
                perm="outreach.view_publicity",
            ),
        ),
    ),
    NavSection(
        _("Care and benefits"),
        (
            NavItem(
                _("Occasions"),
                "benefits:occasion_list",
                ("benefits:occasion_*",),
                perm="benefits.view_occasion",
            ),
            NavItem(_("Visits"), "benefits:visit_list", ("benefits:visit_*",), perm="benefits.view_visit"),
            NavItem(
                _("One-to-one contact"),
                "benefits:assignment_list",
                ("benefits:assignment_*", "benefits:contact_log_*"),
                perm="benefits.view_contactassignment",
            ),
            NavItem(
                _("Condolence campaigns"),
                "benefits:campaign_list",
                ("benefits:campaign_*", "benefits:target_*"),
                perm="benefits.view_condolencecampaign",
            ),
            NavItem(
                _("Health checks"),
                "benefits:health_check_list",
                ("benefits:health_check_*",),
                perm="benefits.view_healthcheck",
            ),
            NavItem(
                _("Sanatorium trips"),
                "benefits:trip_list",
                ("benefits:trip_*",),
                perm="benefits.view_sanatoriumtrip",
            ),
            NavItem(
                _("Medals"), "benefits:medal_list", ("benefits:medal_*",), perm="benefits.view_medalaward"
            ),
            NavItem(
                _("Senior university"),
                "education:school_list",
                ("education:*",),
                perm="education.view_seniorschool",
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
                "badge": item.badge(user) if item.badge else 0,
            }
            for item in section.items
            if (not item.perm or user.has_perm(item.perm)) and (item.shown_to is None or item.shown_to(user))
        ]
        if entries:
            sections.append({"heading": section.heading, "entries": entries})
    return sections
