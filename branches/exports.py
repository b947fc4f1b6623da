"""The columns of the branches lists as a spreadsheet: the rows each list shows, filters and scope kept."""

from operator import attrgetter

from django.utils.translation import gettext as _

from branches.models import Activity, Branch
from branches.records import BranchAlliance, Commendation, Studio
from core.exports import CHUNK, column_table, field_label


def _name_of(related: str):
    """The name of a related object, blank when there is none."""

    def name(obj) -> str:
        value = getattr(obj, related)
        return value.name if value is not None else ""

    return name


def branches_table(branches, *, user):
    """The organisations in tree order, each with the superior organisation it sits under."""
    headers = [
        field_label(Branch, "name"),
        field_label(Branch, "kind"),
        _("Superior organisation"),
        field_label(Branch, "area"),
        field_label(Branch, "former_unit"),
        field_label(Branch, "founded_on"),
        field_label(Branch, "dissolved_on"),
        _("Members"),
    ]

    def rows():
        # Tree order lists a superior before those under it; one outside the user's scope
        # (a secretary's branch's own superior) is left blank, as it is nowhere on their pages.
        names = {}
        for branch in branches.iterator(chunk_size=CHUNK):
            names[branch.path] = branch.name
            yield [
                branch.name,
                branch.get_kind_display(),
                names.get(branch.path[: -Branch.steplen], ""),
                branch.area.name if branch.area_id else "",
                branch.former_unit,
                branch.founded_on,
                branch.dissolved_on,
                branch.member_count,
            ]

    return headers, rows()


def activities_table(activities, *, user):
    return column_table(
        activities,
        [
            (field_label(Activity, "held_on"), attrgetter("held_on")),
            (field_label(Activity, "kind"), _name_of("kind")),
            (field_label(Activity, "topic"), attrgetter("topic")),
            (field_label(Activity, "branch"), _name_of("branch")),
            (field_label(Activity, "present_count"), attrgetter("present_count")),
            (field_label(Activity, "roll_count"), attrgetter("roll_count")),
        ],
    )


def commendations_table(commendations, *, user):
    return column_table(
        commendations,
        [
            (field_label(Commendation, "year"), attrgetter("year")),
            (field_label(Commendation, "kind"), Commendation.get_kind_display),
            (field_label(Commendation, "title"), attrgetter("title")),
            (field_label(Commendation, "cadre"), _name_of("cadre")),
            (field_label(Commendation, "branch"), _name_of("branch")),
            (field_label(Commendation, "issuing_body"), attrgetter("issuing_body")),
        ],
    )


def alliances_table(alliances, *, user):
    return column_table(
        alliances,
        [
            (field_label(BranchAlliance, "name"), attrgetter("name")),
            (field_label(BranchAlliance, "founded_on"), attrgetter("founded_on")),
            (
                field_label(BranchAlliance, "branches"),
                lambda alliance: "、".join(branch.name for branch in alliance.branches.all()),
            ),
            (field_label(BranchAlliance, "note"), attrgetter("note")),
        ],
    )


def studios_table(studios, *, user):
    return column_table(
        studios,
        [
            (field_label(Studio, "name"), attrgetter("name")),
            (field_label(Studio, "area"), _name_of("area")),
            (field_label(Studio, "community"), attrgetter("community")),
            (field_label(Studio, "run_by"), _name_of("run_by")),
            (field_label(Studio, "founded_on"), attrgetter("founded_on")),
        ],
    )
