"""Privacy duties: the editable privacy and accessibility statements.

Everything else the privacy app does (a person's own data, anonymising people who have left,
retention) works on the other apps' tables through `privacy.selectors` and `privacy.services`.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class InfoPage(models.Model):
    """A public page the HMS admin keeps up to date: the privacy statement
    (personvernerklæring) and the accessibility statement (tilgjengelighetserklæring).

    One text per language; an empty text shows Verne's default for that language.
    """

    class Key(models.TextChoices):
        PRIVACY = "privacy", _("Personvernerklæring")
        ACCESSIBILITY = "accessibility", _("Tilgjengelighetserklæring")

    key = models.CharField(_("side"), max_length=32, choices=Key.choices, unique=True)
    body_nb = models.TextField(_("tekst (bokmål)"), blank=True, default="")
    body_nn = models.TextField(_("tekst (nynorsk)"), blank=True, default="")
    body_en = models.TextField(_("tekst (engelsk)"), blank=True, default="")
    updated_at = models.DateTimeField(_("sist endret"), default=timezone.now)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("informasjonsside")
        verbose_name_plural = _("informasjonssider")

    def __str__(self) -> str:
        return str(self.get_key_display())
