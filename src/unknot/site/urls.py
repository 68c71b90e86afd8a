from django.urls import path

from unknot.site import views

app_name = "site"
urlpatterns = [
    path("", views.home, name="home"),
    path("clinics/", views.clinic_list, name="clinic_list"),
    path("clinics/<slug:slug>/", views.clinic_detail, name="clinic_detail"),
    path("clinics/<slug:slug>/book/", views.book_start, name="book_start"),
]
