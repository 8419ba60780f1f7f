"""Single sign-on over OpenID Connect, on top of mozilla-django-oidc.

The flow is the library's (authorization code, with PKCE and a nonce): `oidc_authentication_init`
sends the browser to the provider, `oidc_authentication_callback` takes the code back, the
backend exchanges it for tokens, checks the ID token's signature (the provider's JWKS), audience
and issuer, and then Verne decides who the person is:

1. the stable claim (`OIDC_CLAIM_ID`, `sub` or Entra's `oid`) against `User.external_id`;
2. failing that, when `OIDC_MATCH_EMAIL` is on, a person with that email and no external ID yet
   (the link is recorded, so later logins match by the claim);
3. failing that, when `OIDC_CREATE_USERS` is on, a new person.

With `OIDC_GROUP_ROLES` the group claim keeps memberships in sync (`core.services`).
Every write goes through `core.services` and leaves audit events. Nothing here logs a claim.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Mapping
from typing import Any

import requests
from django.conf import settings
from django.core.exceptions import SuspiciousOperation
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.utils import import_from_settings
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView

from . import services
from .models import User

log = logging.getLogger(__name__)

_ENDPOINT_KEYS = {
    "OIDC_OP_AUTHORIZATION_ENDPOINT": "authorization_endpoint",
    "OIDC_OP_TOKEN_ENDPOINT": "token_endpoint",
    "OIDC_OP_USER_ENDPOINT": "userinfo_endpoint",
    "OIDC_OP_JWKS_ENDPOINT": "jwks_uri",
}
_discovered: dict[str, dict[str, Any]] = {}
_lock = threading.Lock()


def _discovery(issuer: str) -> dict[str, Any]:
    """The provider's `/.well-known/openid-configuration`, fetched once per process."""
    with _lock:
        if issuer not in _discovered:
            response = requests.get(
                f"{issuer}/.well-known/openid-configuration", timeout=settings.OIDC_TIMEOUT
            )
            response.raise_for_status()
            _discovered[issuer] = response.json()
        return _discovered[issuer]


def setting(name: str, *default: Any) -> Any:
    """A mozilla-django-oidc setting; endpoints left empty come from the issuer's discovery."""
    value = import_from_settings(name, *default)
    if name in _ENDPOINT_KEYS and not value and settings.OIDC_ISSUER:
        value = _discovery(settings.OIDC_ISSUER).get(_ENDPOINT_KEYS[name], "")
    return value


def is_enabled() -> bool:
    """SSO is on when a client ID is set and the provider's endpoints are known (or discoverable)."""
    if not settings.OIDC_RP_CLIENT_ID:
        return False
    return bool(settings.OIDC_ISSUER or (settings.OIDC_OP_AUTHORIZATION_ENDPOINT and settings.OIDC_OP_TOKEN_ENDPOINT))


def provider_name() -> str:
    return settings.OIDC_PROVIDER_NAME or "SSO"


# --------------------------------------------------------------------------------- claims


def _claim(claims: Mapping[str, Any], name: str) -> str:
    value = claims.get(name)
    return value.strip() if isinstance(value, str) else ""


def _username_for(claims: Mapping[str, Any], external_id: str) -> str:
    """A readable, unique username: preferred_username or the email, else one from the ID."""
    base = _claim(claims, "preferred_username") or _claim(claims, "email") or f"sso-{external_id[:40]}"
    base = base[:140]
    candidate, n = base, 1
    while User.objects.filter(username=candidate).exists():
        n += 1
        candidate = f"{base}-{n}"
    return candidate


def group_roles() -> dict[str, list[tuple[str, str]]]:
    """OIDC_GROUP_ROLES as {group: [(role, unit or safety-area code), ...]}."""
    result: dict[str, list[tuple[str, str]]] = {}
    for group, specs in settings.OIDC_GROUP_ROLES.items():
        pairs = []
        for spec in specs:
            role, sep, code = spec.partition("@")
            if not sep or not role or not code:
                log.warning("OIDC_GROUP_ROLES: ignoring %r (expected role@CODE)", spec)
                continue
            pairs.append((role.strip(), code.strip()))
        result[group] = pairs
    return result


@transaction.atomic
def person_from_claims(claims: Mapping[str, Any]) -> User | None:
    """Match, link or create the person the verified claims describe, then sync memberships.

    Returns None when the person may not log in (no stable claim, creation off, ambiguous
    email, or a deactivated person).
    """
    external_id = _claim(claims, settings.OIDC_CLAIM_ID)
    if not external_id:
        raise SuspiciousOperation(f"the ID token has no {settings.OIDC_CLAIM_ID!r} claim")
    email = _claim(claims, "email")
    first_name = _claim(claims, "given_name")
    last_name = _claim(claims, "family_name")

    person = User.objects.select_for_update().filter(external_id=external_id).first()
    if person is None and settings.OIDC_MATCH_EMAIL and email and claims.get("email_verified") is not False:
        candidates = list(User.objects.select_for_update().filter(email__iexact=email, external_id=""))
        if len(candidates) > 1:
            log.warning("SSO: several people share the email of a login; none was linked")
            return None
        if candidates:
            person = services.person_link_external_id(actor=None, person=candidates[0], external_id=external_id)
    if person is None:
        if not settings.OIDC_CREATE_USERS:
            return None
        person = services.person_create(
            actor=None, username=_username_for(claims, external_id), first_name=first_name[:150],
            last_name=last_name[:150], email=email, external_id=external_id,
        )  # fmt: skip
    elif person.is_active:
        services.person_update(
            actor=None, person=person,
            first_name=first_name[:150] or None, last_name=last_name[:150] or None, email=email or None,
        )  # fmt: skip
    if not person.is_active:
        return None
    if settings.OIDC_GROUP_ROLES:
        if settings.OIDC_GROUPS_CLAIM in claims:
            raw = claims.get(settings.OIDC_GROUPS_CLAIM) or []
            groups = [str(g) for g in raw] if isinstance(raw, list) else [str(raw)]
            services.membership_sync_groups(actor=None, person=person, groups=groups, mapping=group_roles())
        else:
            # Entra sends `_claim_names` instead of `groups` above 200 groups; never end
            # memberships on a claim we did not get.
            log.warning("SSO: no %r claim in the token; memberships left as they were", settings.OIDC_GROUPS_CLAIM)
    return person


# --------------------------------------------------------------------------------- library glue


class VerneOIDCBackend(OIDCAuthenticationBackend):
    """mozilla-django-oidc's backend with Verne's matching, audience/issuer checks and no-op
    when SSO is not configured (it is always listed in AUTHENTICATION_BACKENDS)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self.enabled = is_enabled()
        if self.enabled:
            super().__init__(*args, **kwargs)

    @staticmethod
    def get_settings(attr: str, *args: Any) -> Any:
        return setting(attr, *args)

    def authenticate(self, request: HttpRequest | None, **kwargs: Any) -> User | None:  # type: ignore[override]
        # Only the callback view calls with a nonce; a password login never reaches the provider.
        if not self.enabled or "nonce" not in kwargs or "password" in kwargs:
            return None
        return super().authenticate(request, **kwargs)  # type: ignore[no-any-return]

    def get_payload_data(self, token: bytes | str, key: Any) -> dict[str, Any]:
        payload: dict[str, Any] = super().get_payload_data(token, key)
        audience = payload.get("aud")
        audiences = audience if isinstance(audience, list) else [audience]
        if settings.OIDC_RP_CLIENT_ID not in audiences:
            raise SuspiciousOperation("the ID token is not for this client")
        if settings.OIDC_ISSUER and payload.get("iss", "").rstrip("/") != settings.OIDC_ISSUER:
            raise SuspiciousOperation("the ID token is from another issuer")
        return payload

    def get_userinfo(self, access_token: str, id_token: str, payload: dict[str, Any]) -> dict[str, Any]:
        """The ID token's claims, completed by the userinfo endpoint when there is one."""
        if not self.OIDC_OP_USER_ENDPOINT:
            return dict(payload)
        info = super().get_userinfo(access_token, id_token, payload)
        if info.get("sub") not in (None, payload.get("sub")):
            raise SuspiciousOperation("userinfo is about another subject")
        return {**info, **payload}

    def verify_claims(self, claims: dict[str, Any]) -> bool:
        return bool(_claim(claims, settings.OIDC_CLAIM_ID))

    def get_or_create_user(self, access_token: str, id_token: str, payload: dict[str, Any]) -> User | None:  # type: ignore[override]
        claims = self.get_userinfo(access_token, id_token, payload)
        if not self.verify_claims(claims):
            raise SuspiciousOperation("claims verification failed")
        return person_from_claims(claims)


class SSOStart(OIDCAuthenticationRequestView):
    """Send the browser to the identity provider (404 when SSO is not configured)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        if is_enabled():
            super().__init__(*args, **kwargs)

    @staticmethod
    def get_settings(attr: str, *args: Any) -> Any:
        return setting(attr, *args)

    def get(self, request: HttpRequest) -> HttpResponse:
        if not is_enabled():
            raise Http404
        return super().get(request)  # type: ignore[no-any-return]


class SSOCallback(OIDCAuthenticationCallbackView):
    """The provider sends the browser back here with a code (404 when SSO is not configured)."""

    @staticmethod
    def get_settings(attr: str, *args: Any) -> Any:
        return setting(attr, *args)

    def get(self, request: HttpRequest) -> HttpResponse:
        if not is_enabled():
            raise Http404
        return super().get(request)  # type: ignore[no-any-return]
