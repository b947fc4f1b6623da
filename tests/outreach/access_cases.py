"""Access cases of the outreach URLs: how to build another branch's object id (see tests/test_access.py)."""

import datetime as dt

from outreach.models import Campaign, LectureGroup, LectureGroupMembership, Lecturer, Publicity, TalkEvent
from outreach.services import (
    campaign_create,
    group_create,
    group_member_add,
    lecturer_create,
    publicity_create,
    talk_record,
)

CASES = {
    "outreach:group_detail": lambda ctx: {"pk": ctx["outreach_group_b"].pk},
    "outreach:group_update": lambda ctx: {"pk": ctx["outreach_group_b"].pk},
    "outreach:group_member_add": lambda ctx: {"pk": ctx["outreach_group_b"].pk},
    "outreach:membership_end": lambda ctx: {"pk": ctx["outreach_membership_b"].pk},
    "outreach:lecturer_detail": lambda ctx: {"pk": ctx["outreach_lecturer_b"].pk},
    "outreach:lecturer_update": lambda ctx: {"pk": ctx["outreach_lecturer_b"].pk},
    "outreach:talk_detail": lambda ctx: {"pk": ctx["outreach_talk_b"].pk},
    "outreach:talk_update": lambda ctx: {"pk": ctx["outreach_talk_b"].pk},
    "outreach:talk_delete": lambda ctx: {"pk": ctx["outreach_talk_b"].pk},
    "outreach:campaign_detail": lambda ctx: {"pk": ctx["outreach_campaign_b"].pk},
    "outreach:campaign_update": lambda ctx: {"pk": ctx["outreach_campaign_b"].pk},
    "outreach:publicity_update": lambda ctx: {"pk": ctx["outreach_publicity_b"].pk},
    "outreach:publicity_delete": lambda ctx: {"pk": ctx["outreach_publicity_b"].pk},
}

SNAPSHOT_MODELS = [
    LectureGroup,
    LectureGroupMembership,
    Lecturer,
    TalkEvent,
    TalkEvent.lecturers.through,
    Campaign,
    Publicity,
]


def _objects(branch, cadre, suffix):
    group = group_create(name=f"{branch.name}宣讲小组", level="branch", branch=branch)
    lecturer = lecturer_create(cadre=cadre, topics=["party_history"])
    membership = group_member_add(group=group, lecturer=lecturer, joined_on=dt.date(2024, 1, 1))
    campaign = campaign_create(
        name=f"{branch.name}百千万宣讲行动",
        starts_on=dt.date(2025, 1, 1),
        ends_on=dt.date(2025, 12, 31),
        branch=branch,
        target_talks=10,
    )
    talk = talk_record(
        group=group,
        lecturers=[lecturer],
        held_on=dt.date(2025, 6, 1),
        topic="party_history",
        title="学党史 守初心",
        venue_type="school",
        audience=80,
        youth_audience=60,
        campaign=campaign,
    )
    publicity = publicity_create(
        title=f"{branch.name}先进事迹",
        branch=branch,
        outlet="学习强国",
        level="city",
        published_on=dt.date(2025, 7, 1),
    )
    return {
        f"outreach_group_{suffix}": group,
        f"outreach_lecturer_{suffix}": lecturer,
        f"outreach_membership_{suffix}": membership,
        f"outreach_campaign_{suffix}": campaign,
        f"outreach_talk_{suffix}": talk,
        f"outreach_publicity_{suffix}": publicity,
    }


def build(ctx):
    """Objects of branch a and branch b, keyed `outreach_<name>_a` and `outreach_<name>_b`: the prefix
    keeps them apart from other apps' keys in the shared context (volunteers has a `membership_a`)."""
    return {
        **_objects(ctx["branch_a"], ctx["cadre_a"], "a"),
        **_objects(ctx["branch_b"], ctx["cadre_b"], "b"),
    }
