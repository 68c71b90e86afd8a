"""The patient's insurance, mounted at /portal/ in the namespace "portal"."""

from django.urls import path

from unknot.coverage import views_portal

urlpatterns = [
    path("insurance/", views_portal.my_coverage, name="coverage"),
    path("insurance/add/", views_portal.add, name="coverage_add"),
    path("insurance/self-pay/", views_portal.self_pay, name="coverage_self_pay"),
    path(
        "insurance/<int:coverage_id>/card/<str:side>/",
        views_portal.card,
        name="coverage_card",
    ),
]
