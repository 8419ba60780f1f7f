"""Background tasks (django.tasks) for anonymous surveys: the emails with one-time links.

The task receives only the participation id. It makes the token itself and stores only its
hash, so no token is ever written to the task queue (django-tasks-db keeps arguments and
results in the database). It returns nothing that identifies anyone.
"""

from __future__ import annotations

from django.tasks import task


@task
def send_survey_link(participation_id: str, kind: str) -> bool:
    """Send the invitation or a reminder with a fresh one-time link."""
    from .services import participation_send_link

    return participation_send_link(participation_id=participation_id, kind=kind)
