"""Access cases of the volunteers URLs: how to build another branch's object id (see tests/test_access.py).

Team b grew from branch b, and every record of b hangs on team b or on cadre b's chief post:
secretary a sees none of them.
"""

import datetime as dt

from volunteers.models import (
    ChiefPost,
    MicroWish,
    PatrolArea,
    ServiceProject,
    ServiceRecord,
    ServiceRecordPhoto,
    TeamMembership,
    VolunteerTeam,
)
from volunteers.services import chief_appoint, membership_add, project_create, record_create, team_create
from volunteers.wish_services import wish_post

CASES = {
    "volunteers:team_detail": lambda ctx: {"pk": ctx["team_b"].pk},
    "volunteers:team_update": lambda ctx: {"pk": ctx["team_b"].pk},
    "volunteers:team_create_child": lambda ctx: {"pk": ctx["team_b"].pk},
    "volunteers:membership_create": lambda ctx: {"pk": ctx["team_b"].pk},
    "volunteers:membership_end": lambda ctx: {"pk": ctx["membership_b"].pk},
    "volunteers:project_detail": lambda ctx: {"pk": ctx["project_b"].pk},
    "volunteers:project_update": lambda ctx: {"pk": ctx["project_b"].pk},
    "volunteers:patrol_area_detail": lambda ctx: {"pk": ctx["patrol_area_b"].pk},
    "volunteers:patrol_area_update": lambda ctx: {"pk": ctx["patrol_area_b"].pk},
    "volunteers:chief_post_detail": lambda ctx: {"pk": ctx["chief_post_b"].pk},
    "volunteers:chief_post_update": lambda ctx: {"pk": ctx["chief_post_b"].pk},
    "volunteers:record_detail": lambda ctx: {"pk": ctx["record_b"].pk},
    "volunteers:record_update": lambda ctx: {"pk": ctx["record_b"].pk},
    "volunteers:record_add_photos": lambda ctx: {"pk": ctx["record_b"].pk},
    "volunteers:record_delete": lambda ctx: {"pk": ctx["record_b"].pk},
    "volunteers:wish_detail": lambda ctx: {"pk": ctx["wish_b"].pk},
    "volunteers:wish_claim": lambda ctx: {"pk": ctx["wish_b"].pk},
    "volunteers:wish_fulfil": lambda ctx: {"pk": ctx["wish_b"].pk},
    "volunteers:wish_withdraw": lambda ctx: {"pk": ctx["wish_b"].pk},
}

SNAPSHOT_MODELS = [
    VolunteerTeam,
    TeamMembership,
    ServiceProject,
    PatrolArea,
    ChiefPost,
    ServiceRecord,
    ServiceRecordPhoto,
    MicroWish,
]

DAY = dt.date(2026, 7, 1)


def _objects(suffix: str, branch, cadre) -> dict:
    from tests.factories import AreaFactory, PatrolAreaFactory

    team = team_create(name=f"银发志愿服务小队{suffix}", level="squad", branch=branch, founded_on=DAY)
    patrol_area = PatrolAreaFactory(name=f"车路河{suffix}段", area=AreaFactory(name=f"河畔社区{suffix}"))
    post = chief_appoint(cadre=cadre, patrol_area=patrol_area, appointed_on=DAY, team=team)
    return {
        f"team_{suffix}": team,
        f"membership_{suffix}": membership_add(team=team, cadre=cadre, joined_on=DAY),
        f"project_{suffix}": project_create(name=f"银发护河{suffix}", team=team),
        f"patrol_area_{suffix}": patrol_area,
        f"chief_post_{suffix}": post,
        f"record_{suffix}": record_create(
            chief_post=post, served_on=DAY, kind="patrol", hours=2, problems_found=1, problems_resolved=1
        ),
        f"wish_{suffix}": wish_post(beneficiary=cadre, wish="想要一副老花镜", posted_on=DAY),
    }


def build(ctx):
    """Objects of branch a and branch b, keyed `<name>_a` and `<name>_b`."""
    return {
        **_objects("a", ctx["branch_a"], ctx["cadre_a"]),
        **_objects("b", ctx["branch_b"], ctx["cadre_b"]),
    }
