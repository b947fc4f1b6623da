"""The columns of each volunteers list as a spreadsheet: the rows the list shows, filters and scope kept.

Phones are masked for roles that may not see them in full (as the registry lists do), and the name
of an elder whose wish is only on the user's wall is masked as on the page.
"""

from django.utils.text import capfirst
from django.utils.translation import gettext as _

from core.masking import mask_phone
from volunteers.models import ChiefPost, MicroWish, PatrolArea, ServiceProject, ServiceRecord, VolunteerTeam
from volunteers.selectors import masked_name

# Exports read their rows in chunks: a year's records of a city are thousands of rows.
CHUNK = 2000


def _label(model, field: str) -> str:
    return capfirst(model._meta.get_field(field).verbose_name)


def _day(value) -> str:
    return value.isoformat() if value else ""


def _yes_no(value: bool) -> str:
    return _("Yes") if value else _("No")


def teams_table(teams, *, user):
    headers = [
        _label(VolunteerTeam, "name"),
        _label(VolunteerTeam, "level"),
        _label(VolunteerTeam, "area"),
        _label(VolunteerTeam, "branch"),
        _label(VolunteerTeam, "leader"),
        _("Members"),
        _label(VolunteerTeam, "founded_on"),
        _label(VolunteerTeam, "dissolved_on"),
    ]
    rows = (
        [
            team.name,
            team.get_level_display(),
            team.area.name if team.area_id else "",
            team.branch.name if team.branch_id else "",
            team.leader.name if team.leader_id else "",
            team.member_count,
            _day(team.founded_on),
            _day(team.dissolved_on),
        ]
        for team in teams.iterator(chunk_size=CHUNK)
    )
    return headers, rows


def projects_table(projects, *, user):
    headers = [
        _label(ServiceProject, "name"),
        _label(ServiceProject, "team"),
        _label(ServiceProject, "started_on"),
        _label(ServiceProject, "is_active"),
        _label(ServiceProject, "description"),
    ]
    rows = (
        [
            project.name,
            project.team.name,
            _day(project.started_on),
            _yes_no(project.is_active),
            project.description,
        ]
        for project in projects.iterator(chunk_size=CHUNK)
    )
    return headers, rows


def patrol_areas_table(patrol_areas, *, user):
    headers = [
        _label(PatrolArea, "kind"),
        _label(PatrolArea, "name"),
        _label(PatrolArea, "area"),
        _("Chiefs now"),
        _label(PatrolArea, "description"),
    ]
    rows = (
        [area.get_kind_display(), area.name, area.area.name, area.chief_count, area.description]
        for area in patrol_areas.iterator(chunk_size=CHUNK)
    )
    return headers, rows


def chief_posts_table(posts, *, user):
    full_phone = user.has_perm("cadres.view_sensitive_details")
    headers = [
        _("Post"),
        _label(ChiefPost, "patrol_area"),
        _label(PatrolArea, "area"),
        _("Chief"),
        _("Phone"),
        _label(ChiefPost, "team"),
        _label(ChiefPost, "appointed_on"),
        _label(ChiefPost, "ended_on"),
    ]
    rows = (
        [
            str(post.kind_label),
            post.patrol_area.name,
            post.patrol_area.area.name,
            post.cadre.name,
            post.cadre.phone if full_phone else mask_phone(post.cadre.phone),
            post.team.name if post.team_id else "",
            _day(post.appointed_on),
            _day(post.ended_on),
        ]
        for post in posts.iterator(chunk_size=CHUNK)
    )
    return headers, rows


def records_table(records, *, user):
    headers = [
        _label(ServiceRecord, "served_on"),
        _label(ServiceRecord, "kind"),
        _("Served by"),
        _("Post"),
        _label(ServiceRecord, "project"),
        _label(ServiceRecord, "hours"),
        _label(ServiceRecord, "volunteers_present"),
        _label(ServiceRecord, "people_served"),
        _label(ServiceRecord, "problems_found"),
        _label(ServiceRecord, "problems_resolved"),
        _label(ServiceRecord, "notes"),
    ]

    def row(record):
        post = record.chief_post
        return [
            _day(record.served_on),
            record.get_kind_display(),
            post.cadre.name if post else record.team.name,
            f"{post.kind_label} · {post.patrol_area.name}" if post else "",
            record.project.name if record.project_id else "",
            record.hours,
            record.volunteers_present,
            record.people_served,
            record.problems_found,
            record.problems_resolved,
            record.notes,
        ]

    return headers, (row(record) for record in records.iterator(chunk_size=CHUNK))


def wishes_table(wishes, *, user):
    headers = [
        _label(MicroWish, "posted_on"),
        _label(MicroWish, "beneficiary"),
        _label(MicroWish, "wish"),
        _label(MicroWish, "area"),
        _label(MicroWish, "status"),
        _("Claimed by"),
        _label(MicroWish, "claimed_on"),
        _label(MicroWish, "fulfilled_on"),
    ]
    rows = (
        [
            _day(wish.posted_on),
            wish.beneficiary.name if wish.is_own else masked_name(wish.beneficiary.name),
            wish.wish,
            wish.area.name if wish.area_id else "",
            wish.get_status_display(),
            wish.claimant.name if wish.claimant else "",
            _day(wish.claimed_on),
            _day(wish.fulfilled_on),
        ]
        for wish in wishes.iterator(chunk_size=CHUNK)
    )
    return headers, rows
