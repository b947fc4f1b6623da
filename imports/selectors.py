"""Reads of the import jobs: a user sees their own; a bureau administrator sees everyone's."""

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from accounts.models import Role
from imports.models import ImportJob


def job_list(*, user) -> QuerySet[ImportJob]:
    """The jobs `user` may see, newest first, without their stored errors and samples."""
    jobs = ImportJob.objects.select_related("uploaded_by").defer("errors", "changes")
    if user.is_superuser or user.role == Role.BUREAU_ADMIN:
        return jobs
    return jobs.filter(uploaded_by=user)


def job_get(*, user, pk) -> ImportJob:
    """The job `pk` if `user` may see it; 404 otherwise, so other users' ids reveal nothing."""
    jobs = ImportJob.objects.select_related("uploaded_by")
    if not (user.is_superuser or user.role == Role.BUREAU_ADMIN):
        jobs = jobs.filter(uploaded_by=user)
    return get_object_or_404(jobs, pk=pk)
