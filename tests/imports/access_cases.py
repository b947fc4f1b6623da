"""Access cases of the imports URLs (see tests/test_access.py).

A job belongs to its uploader. The b job was uploaded by branch b's secretary. The a job must
reach secretary_a, a fixture made after build(): the case function hands branch a's job to the
newest secretary of branch a when it exists (see _to_branch_secretary).
"""

from accounts.models import Role, User
from cadres.models import Cadre
from imports.models import ImportJob
from tests.factories import UserFactory

CASES = {
    "imports:job_detail": lambda ctx: {"pk": _to_branch_secretary(ctx["imports_job_b"]).pk},
    "imports:job_progress": lambda ctx: {"pk": _to_branch_secretary(ctx["imports_job_b"]).pk},
    "imports:job_confirm": lambda ctx: {"pk": _to_branch_secretary(ctx["imports_job_b"]).pk},
}

SNAPSHOT_MODELS = [ImportJob, Cadre]


def _to_branch_secretary(job: ImportJob) -> ImportJob:
    """The same job uploaded by the newest secretary of its branch, if not already theirs."""
    secretary = User.objects.filter(role=Role.BRANCH_SECRETARY, branch=job.branch_id).order_by("-pk").first()
    if secretary is None or secretary.pk == job.uploaded_by_id:
        return job
    copy, _created = ImportJob.objects.get_or_create(
        uploaded_by=secretary,
        file_name=job.file_name,
        defaults={"resource": job.resource, "branch_id": job.branch_id, "status": job.status},
    )
    return copy


def build(ctx):
    built = {}
    for suffix in ("a", "b"):
        branch = ctx[f"branch_{suffix}"]
        secretary = UserFactory(
            username=f"imports_secretary_{suffix}", role=Role.BRANCH_SECRETARY, branch=branch
        )
        # Previewed, so that a confirmation would write if the scoping let it through.
        built[f"imports_job_{suffix}"] = ImportJob.objects.create(
            resource="cadres",
            file_name=f"roster_{suffix}.xlsx",
            uploaded_by=secretary,
            branch=branch,
            status=ImportJob.Status.PREVIEWED,
        )
    return built
