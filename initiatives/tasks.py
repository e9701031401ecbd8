from celery import shared_task


@shared_task(time_limit=10, soft_time_limit=5)
def ping() -> str:
    """The Celery round trip that /health/ times."""
    return "pong"
