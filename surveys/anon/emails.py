"""The invitation and reminder emails (bokmål and English). They carry the one-time link
and its code; nothing about the survey's answers."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.urls import reverse

TEXTS: dict[str, dict[str, tuple[str, str]]] = {
    "invitation": {
        "nb": (
            "Svar på {title}",
            "Hei {name},\n\n"
            "Du er invitert til å svare på {title}. Undersøkelsen er anonym: svarene dine lagres "
            "uten navn og uten noen kobling til deg, og resultater vises bare for grupper som er "
            "store nok til at ingen kan kjennes igjen.\n\n"
            "Din personlige lenke (kan bare brukes til å sende inn ett svar):\n{link}\n\n"
            "Virker ikke lenken? Gå til {start} og skriv inn koden {code}.\n"
            "Du kan også svare etter at du har logget inn i Verne: {home}\n\n"
            "Fristen er {due}.\n\n"
            "Ikke videresend denne e-posten: lenken er personlig.\n",
        ),
        "en": (
            "Please answer the {title}",
            "Hello {name},\n\n"
            "You are invited to answer the {title}. The survey is anonymous: your answers are "
            "stored without your name and without any link to you, and results are only shown for "
            "groups large enough that no one can be recognised.\n\n"
            "Your personal link (it can be used to submit one answer only):\n{link}\n\n"
            "If the link does not work, go to {start} and enter the code {code}.\n"
            "You can also answer after logging in to Verne: {home}\n\n"
            "The deadline is {due}.\n\n"
            "Do not forward this email: the link is personal.\n",
        ),
    },
    "reminder": {
        "nb": (
            "Påminnelse: svar på {title}",
            "Hei {name},\n\n"
            "Vi minner om {title}. Hvis du allerede har svart, får du ikke denne meldingen – den "
            "går bare til dem som ikke har svart ennå. Ingen andre får vite hvem som har fått den.\n\n"
            "Her er en ny personlig lenke (den forrige virker også til du har svart):\n{link}\n\n"
            "Virker ikke lenken? Gå til {start} og skriv inn koden {code}.\n"
            "Du kan også svare etter at du har logget inn i Verne: {home}\n\n"
            "Fristen er {due}.\n",
        ),
        "en": (
            "Reminder: please answer the {title}",
            "Hello {name},\n\n"
            "This is a reminder about the {title}. It only goes to people who have not answered "
            "yet; no one else learns who received it.\n\n"
            "Here is a new personal link (the previous one also works until you have answered):\n"
            "{link}\n\n"
            "If the link does not work, go to {start} and enter the code {code}.\n"
            "You can also answer after logging in to Verne: {home}\n\n"
            "The deadline is {due}.\n",
        ),
    },
}


@dataclass(frozen=True)
class LinkEmail:
    subject: str
    body: str
    to: str


def build(kind: str, *, language: str, name: str, to: str, title: str, due: str, link: str, code: str) -> LinkEmail:
    language = language if language in ("nb", "en") else "nb"
    subject, body = TEXTS[kind][language]
    values = {
        "name": name,
        "title": title,
        "due": due,
        "link": link,
        "code": code,
        "start": f"{settings.SITE_URL}{reverse('anon_start')}",
        "home": f"{settings.SITE_URL}{reverse('home')}",
    }
    return LinkEmail(subject=subject.format(**values), body=body.format(**values), to=to)
