from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.middleware.locale import LocaleMiddleware
from django.utils import translation


class PersonLanguageMiddleware:
    """Use the language a person chose, wherever they log in from.

    LocaleMiddleware runs before authentication, so it only knows the cookie and the
    browser; this re-activates the person's saved choice once the user is known.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        language = getattr(user, "language", "") if user is not None and user.is_authenticated else ""
        if language:
            translation.activate(language)
            request.LANGUAGE_CODE = language
        response = self.get_response(request)
        if language:
            response.headers.setdefault("Content-Language", language)
        return response


class NorwegianFirstLocaleMiddleware(LocaleMiddleware):
    """LocaleMiddleware without browser negotiation: Norwegian unless a person chose otherwise.

    The choice comes from the language cookie (set by the language switch) and, once
    logged in, from the person's saved language (PersonLanguageMiddleware). An English
    browser does not turn the interface English by itself: Verne is Norwegian first.
    """

    def process_request(self, request: HttpRequest) -> None:
        language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        if not translation.check_for_language(language) or language not in dict(settings.LANGUAGES):
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
