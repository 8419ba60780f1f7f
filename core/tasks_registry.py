"""'Mine oppgaver': each app contributes its open tasks for the home page.

An app registers a provider `fn(request) -> TaskSection | None` in its AppConfig.ready().
Keeping the list here lets core render the page without importing other apps' models.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.http import HttpRequest


@dataclass
class TaskItem:
    title: str
    url: str
    detail: str = ""
    due: object | None = None
    overdue: bool = False


@dataclass
class TaskSection:
    key: str
    title: str
    items: list[TaskItem] = field(default_factory=list)
    empty_text: str = ""


Provider = Callable[[HttpRequest], TaskSection | None]
_providers: list[tuple[int, Provider]] = []


def register(provider: Provider, *, order: int = 100) -> None:
    if all(p is not provider for _, p in _providers):
        _providers.append((order, provider))
        _providers.sort(key=lambda t: t[0])


def collect_tasks(request: HttpRequest) -> list[TaskSection]:
    sections = []
    for _, provider in _providers:
        section = provider(request)
        if section is not None:
            sections.append(section)
    return sections
