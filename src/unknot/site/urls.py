"""The public site's own page. Mounted with the clinic pages in the namespace "site" (see
`unknot.config.urls`)."""

from django.urls import path

from unknot.site import views

urlpatterns = [
    path("", views.home, name="home"),
]
