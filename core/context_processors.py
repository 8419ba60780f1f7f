from django.conf import settings
from django.http import HttpRequest

from .permissions import Perm, has_perm, units_with_perm


def site(request: HttpRequest) -> dict[str, object]:
    """Site name and what the navigation may offer this person (decided here, not in templates)."""
    user = getattr(request, "user", None)
    signed_in = bool(user and user.is_authenticated)
    return {
        "SITE_NAME": settings.SITE_NAME,
        "nav_admin": signed_in and has_perm(user, Perm.ORG_ADMINISTER),  # type: ignore[arg-type]
        "nav_results": signed_in and _lazy_has_results(user),
        "nav_reports": signed_in and _lazy_has_reports(user),
    }


class _lazy_has_results:  # noqa: N801 - behaves like a bool, evaluated only when rendered
    def __init__(self, user: object) -> None:
        self.user = user

    def __bool__(self) -> bool:
        return units_with_perm(self.user, Perm.RESULTS_VIEW).exists()  # type: ignore[arg-type]


class _lazy_has_reports:  # behaves like a bool, evaluated only when rendered
    def __init__(self, user: object) -> None:
        self.user = user

    def __bool__(self) -> bool:
        return units_with_perm(self.user, Perm.REPORT_VIEW).exists()  # type: ignore[arg-type]
