"""The person's goals, mounted at /portal/ in the namespace "portal" (see
`unknot.config.urls`)."""

from django.urls import path

from unknot.records import views_portal

urlpatterns = [
    path("goals/", views_portal.my_goals, name="goals"),
]
