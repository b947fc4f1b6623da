"""Access cases of the branch records pages (ratings, commendations, alliances, studios, points)."""

import datetime as dt

from branches.record_services import alliance_create, commendation_create, rating_set, studio_create
from branches.records import BranchAlliance, BranchRating, Commendation, Studio
from tests.factories import BranchFactory

CASES = {
    "branches:rating_set": lambda ctx: {"pk": ctx["branch_b"].pk},
    "branches:branch_points": lambda ctx: {"pk": ctx["branch_b"].pk},
    "branches:commendation_delete": lambda ctx: {"pk": ctx["commendation_b"].pk},
    "branches:alliance_delete": lambda ctx: {"pk": ctx["alliance_b"].pk},
    "branches:studio_update": lambda ctx: {"pk": ctx["studio_b"].pk},
}

SNAPSHOT_MODELS = [BranchRating, Commendation, BranchAlliance, BranchAlliance.branches.through, Studio]


def build(ctx):
    """Objects of branch a and branch b, keyed `<name>_a` and `<name>_b`."""
    branch_a, branch_b = ctx["branch_a"], ctx["branch_b"]
    for branch in (branch_a, branch_b):
        rating_set(branch=branch, year=2025, stars=4, titles=["six_good"])
    # Branch b's alliance joins b with a group under it: no branch of it is in a's subtree.
    group_b = BranchFactory(name="第一党小组", kind="group", parent=branch_b)
    return {
        # Branch a's commendation hangs on the branch, b's on the member only: both paths of scoping.
        "commendation_a": commendation_create(
            year=2025, kind="model_branch", title="示范党支部", branch=branch_a
        ),
        "commendation_b": commendation_create(
            year=2025, kind="excellent_member", title="优秀共产党员", cadre=ctx["cadre_b"]
        ),
        "alliance_a": alliance_create(
            name="联支强基一", branches=[branch_a, branch_b], founded_on=dt.date(2025, 1, 1)
        ),
        "alliance_b": alliance_create(
            name="联支强基二", branches=[branch_b, group_b], founded_on=dt.date(2025, 1, 1)
        ),
        "studio_a": studio_create(name="老党员工作室一", run_by=ctx["cadre_a"]),
        "studio_b": studio_create(name="老党员工作室二", run_by=ctx["cadre_b"]),
    }
