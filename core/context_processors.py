from django.conf import settings
from django.http import HttpRequest

from .permissions import Perm, has_perm, units_with_perm


class _AnyUnitWith:
    """True when the person holds `perm` on some unit; asked only if a template renders it."""

    def __init__(self, user: object, perm: Perm) -> None:
        self.user, self.perm = user, perm

    def __bool__(self) -> bool:
        return units_with_perm(self.user, self.perm).exists()  # type: ignore[arg-type]


def site(request: HttpRequest) -> dict[str, object]:
    """Site name and what the navigation may offer this person (decided here, not in templates)."""
    user = getattr(request, "user", None)
    signed_in = bool(user and user.is_authenticated)
    return {
        "SITE_NAME": settings.SITE_NAME,
        "nav_admin": signed_in and has_perm(user, Perm.ORG_ADMINISTER),  # type: ignore[arg-type]
        "nav_results": signed_in and _AnyUnitWith(user, Perm.RESULTS_VIEW),
        "nav_reports": signed_in and _AnyUnitWith(user, Perm.REPORT_VIEW),
    }
