from celery import shared_task


@shared_task
def ping():
    """Answer "pong", to prove that a worker consumes from the broker and returns results."""
    return "pong"
