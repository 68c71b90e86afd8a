from django.urls import path

from unknot.booking import views_manage

urlpatterns = [
    path("manage/<str:token>/", views_manage.manage, name="manage"),
]
