from django.urls import path

from unknot.booking import views_manage, views_public, views_questions

# The first step (choosing the kind of appointment) is the clinic's own page, site:book_start.
urlpatterns = [
    path("manage/<str:token>/", views_manage.manage, name="manage"),
    path("manage/<str:token>/change/", views_manage.change, name="manage_change"),
    path(
        "clinics/<slug:slug>/type/<int:type_id>/",
        views_public.choose_therapist,
        name="book_therapist",
    ),
    path(
        "clinics/<slug:slug>/type/<int:type_id>/<str:who>/",
        views_public.choose_time,
        name="book_times",
    ),
    path("clinics/<slug:slug>/hold/", views_public.hold, name="book_hold"),
    path("clinics/<slug:slug>/details/", views_public.details, name="book_details"),
    path("clinics/<slug:slug>/safety/", views_public.safety, name="book_safety"),
    path("clinics/<slug:slug>/booked/", views_public.done, name="book_done"),
    path("clinics/<slug:slug>/release/", views_public.release, name="book_release"),
    path("clinics/<slug:slug>/stop/", views_public.stop, name="book_stop"),
    path("clinics/<slug:slug>/question/", views_questions.question, name="question"),
    path("clinics/<slug:slug>/question/sent/", views_questions.question_sent, name="question_sent"),
]
