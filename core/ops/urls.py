from django.urls import path

from . import health

urlpatterns = [path("helse/", health.health, name="health")]
