import pytest


@pytest.fixture
def in_process_tasks():
    """The embedded default (no broker): tasks run in-process, whatever REDIS_URL this run has."""
    from celery import current_app

    before = current_app.conf.task_always_eager
    current_app.conf.task_always_eager = True
    yield
    current_app.conf.task_always_eager = before


@pytest.fixture
def run_jobs(in_process_tasks, django_capture_on_commit_callbacks):
    """Call a service and run, in-process, the tasks it enqueues after its commit."""

    def run(service, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return service(**kwargs)

    return run
