"""The offer's signed link, mounted at /waitlist/ in the namespace "waitlist"."""

from django.urls import path

from unknot.waitlist import views_public

app_name = "waitlist"
urlpatterns = [
    path("offer/<str:token>/", views_public.offer, name="offer"),
]
