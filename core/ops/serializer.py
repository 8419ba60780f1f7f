"""Django's JSON serializer, but with full-precision times (DjangoJSONEncoder keeps only
milliseconds), so that a backup restores every timestamp exactly. Registered as "verne_json"."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.serializers.json import Deserializer as JSONDeserializer
from django.core.serializers.json import Serializer as JSONSerializer

__all__ = ["Deserializer", "Serializer"]


class Serializer(JSONSerializer):
    def _value_from_field(self, obj: Any, field: Any) -> Any:
        value = field.value_from_object(obj)
        if isinstance(value, dt.datetime | dt.time):
            return value.isoformat()
        return super()._value_from_field(obj, field)


Deserializer = JSONDeserializer
