"""Who may see which outreach records: each rule rests on accounts.scoping, in this one place.

- A lecture group or a campaign with an owning branch is seen by whoever may see that branch;
  one without is the bureau's, seen by bureau-wide roles only.
- A lecturer is seen by whoever may see the cadre's current branch.
- A talk is seen by whoever may see its group; a talk without a group is the bureau's.
- A group membership is seen with its group.
- Publicity is seen by whoever may see the branch it is about, or the cadre's current branch.
"""

from django.db.models import QuerySet

from accounts.scoping import scope_queryset
from outreach.models import Campaign, LectureGroup, LectureGroupMembership, Lecturer, Publicity, TalkEvent


def groups_visible(user) -> QuerySet[LectureGroup]:
    return scope_queryset(user, LectureGroup.objects.all(), "branch")


def memberships_visible(user) -> QuerySet[LectureGroupMembership]:
    return scope_queryset(user, LectureGroupMembership.objects.all(), "group__branch")


def lecturers_visible(user) -> QuerySet[Lecturer]:
    return scope_queryset(user, Lecturer.objects.all(), "cadre__branch")


def talks_visible(user) -> QuerySet[TalkEvent]:
    return scope_queryset(user, TalkEvent.objects.all(), "group__branch")


def campaigns_visible(user) -> QuerySet[Campaign]:
    return scope_queryset(user, Campaign.objects.all(), "branch")


def publicity_visible(user) -> QuerySet[Publicity]:
    records = Publicity.objects.all()
    return scope_queryset(user, records, "branch") | scope_queryset(user, records, "cadre__branch")
