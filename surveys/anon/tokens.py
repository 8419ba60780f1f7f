"""One-time links for anonymous surveys.

A token is 20 characters from a 32-letter alphabet without look-alikes (100 random bits),
shown in groups of five so it can also be typed from the email. Verne stores only a keyed
hash of it (HMAC-SHA256 under SECRET_KEY), so neither the database nor a backup can produce
a working link. The link carries the token in the URL *fragment* (`/undersokelse/#ABCDE-...`),
which browsers never send to the server: it cannot reach access logs, proxies or Django's
request logging. A small script moves it into a POST body and removes it from the address bar.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.urls import reverse
from django.utils.crypto import salted_hmac
from django.views.decorators.debug import sensitive_variables

ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
LENGTH = 20
_SALT = "verne.surveys.anon.token"


@sensitive_variables("raw")
def new_token() -> str:
    raw = "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))
    return "-".join(raw[i : i + 5] for i in range(0, LENGTH, 5))


@sensitive_variables("token")
def normalise(token: str) -> str:
    """Upper-case without spaces and hyphens; "" when anything else is not in the alphabet."""
    value = "".join((token or "").split()).replace("-", "").upper()
    return value if value and all(ch in ALPHABET for ch in value) else ""


@sensitive_variables("token")
def token_hash(token: str) -> str:
    """The keyed hash stored in Participation.token_hash (empty input hashes to nothing)."""
    value = normalise(token)
    if len(value) != LENGTH:
        return ""
    return salted_hmac(_SALT, value, algorithm="sha256").hexdigest()


@sensitive_variables("token")
def link_for(token: str) -> str:
    return f"{settings.SITE_URL}{reverse('anon_start')}#{token}"
