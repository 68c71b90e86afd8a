from django.urls import path

from unknot.portal import views

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("details/", views.contact_details, name="contact_details"),
]
