"""Emails carry no free text and no personal details beyond what the recipient may see.

Every notification text (workflows.notifications.TEXTS, every kind in every language) is
rendered for objects whose every user-written field holds hostile text, and for people with
hostile names; none of it may reach the email. The survey link emails are rendered through the
real invitation flow: each carries the recipient's own first name and nothing about anyone else.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core import mail
from django.utils import timezone

from core import services as core_services
from core.models import Role
from tests.conftest import Org
from tests.surveys import anon_support
from tests.workflows import factories as f
from workflows import notifications
from workflows import services as wf_services
from workflows.models import ActionItem, Deviation, HmsRound

HOSTILE = [
    "Kari Hemmelig-Syk", "<script>alert(1)</script>", "{url}", "%(x)s", "kari.hemmelig@privat.example",
    "fødselsnummer 01017012345", "Ola ble skadet i ryggen",
]  # fmt: skip
EVIL = " | ".join(HOSTILE)

TARGET_OF_KIND = {kind: ("action" if kind.startswith("action") else "round" if kind.startswith("round") else "deviation")
                  for kind in notifications.TEXTS}  # fmt: skip


@pytest.fixture
def hostile(org: Org) -> dict[str, Any]:
    # People with hostile names: the reporter, the owner, the case handler.
    reporter = org.person(Role.EMPLOYEE, "a")
    reporter.first_name, reporter.last_name = "Kari Hemmelig-Syk", "<script>alert(1)</script>"
    reporter.save()
    owner = core_services.person_create(actor=None, username="eier", first_name="Ola ble skadet i ryggen",
                                        last_name="{url}", email="kari.hemmelig@privat.example")  # fmt: skip
    core_services.membership_grant(actor=None, user=owner, role=Role.EMPLOYEE, unit=org.a)
    action = f.action(org, "a", owner=owner, title=EVIL[:300], description=EVIL, due=timezone.localdate() + dt.timedelta(days=3))
    ActionItem.objects.filter(pk=action.pk).update(title_en=EVIL[:300], description_en=EVIL, completion_note=EVIL)
    deviation = f.deviation(
        org, "a", anonymous=False, reporter=reporter, what=EVIL, location=EVIL[:300], immediate_measures=EVIL,
    )  # fmt: skip
    Deviation.objects.filter(pk=deviation.pk).update(cause_analysis=EVIL, feedback_to_reporter=EVIL, closing_comment=EVIL,
                                                      escalation_reason=EVIL, status_reason=EVIL)  # fmt: skip
    hms_round = f.hms_round(org, "a", title=EVIL[:200], focus_topics=EVIL)
    HmsRound.objects.filter(pk=hms_round.pk).update(summary_notes=EVIL, employee_talks=EVIL)
    return {
        "action": ActionItem.objects.get(pk=action.pk),
        "deviation": Deviation.objects.get(pk=deviation.pk),
        "round": HmsRound.objects.get(pk=hms_round.pk),
        "people": [reporter, owner],
    }


def _recipient(org: Org, language: str) -> Any:
    person = org.person(Role.LEADER, "a")
    person.language = language
    return person


@pytest.mark.parametrize("language", ["nb", "nn", "en"])
@pytest.mark.parametrize("kind", sorted(notifications.TEXTS))
def test_every_notification_carries_a_reference_and_a_link_only(
    org: Org, hostile: dict[str, Any], kind: str, language: str
) -> None:
    target = hostile[TARGET_OF_KIND[kind]]
    email = notifications.build_email(kind, _recipient(org, language), target, {"days": 31})
    text = email.subject + "\n" + email.body
    for value in HOSTILE:
        assert value not in text, (kind, language, value)
    for person in hostile["people"]:
        assert person.email not in text
    assert "http://" in email.body or "https://" in email.body
    assert str(target.pk) in email.body
    assert "{" not in text and "}" not in text  # every placeholder was filled


def test_every_kind_has_all_three_languages() -> None:
    assert all(set(texts) == {"nb", "nn", "en"} for texts in notifications.TEXTS.values())


def test_notifications_sent_by_the_services_are_clean_too(
    org: Org, hostile: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    mail.outbox.clear()
    handler = org.person(Role.CASE_HANDLER, "a")
    with django_capture_on_commit_callbacks(execute=True):
        wf_services.deviation_start_review(actor=handler, deviation=hostile["deviation"],
                                           deadline=timezone.localdate() + dt.timedelta(days=5))  # fmt: skip
        f.action(org, "a", owner=hostile["people"][1], title=EVIL[:300], description=EVIL)
    assert mail.outbox
    for message in mail.outbox:
        for value in HOSTILE:
            assert value not in message.subject + message.body


def test_survey_invitations_name_only_the_recipient(org: Org, django_capture_on_commit_callbacks: Any) -> None:
    people = anon_support.add_employees(org.a, 5)
    people[0].first_name = "Kari Hemmelig-Syk"
    people[0].save()
    mail.outbox.clear()
    version = anon_support.load_version("hms_barometer")
    anon_support.issue(org, version, [org.a], django_capture_on_commit_callbacks)
    assert len(mail.outbox) >= 5
    for message in mail.outbox:
        recipient = next(p for p in [*people, *org.people.values()] if p.email == message.to[0])
        others = [p for p in people if p.pk != recipient.pk]
        text = message.subject + message.body
        for other in others:
            assert other.email not in text
            assert other.first_name not in text.replace(recipient.first_name, "")
        assert "Kari Hemmelig-Syk" not in text or recipient.first_name == "Kari Hemmelig-Syk"
