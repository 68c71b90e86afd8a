"""/home-programme/: the home programme, progress, education and discharge (namespace
"home_programme"). Until 2026-12 these pages lived under /care/; `home.moved` sends old links
here."""

from django.urls import path

from unknot.plans.home import views_patient as mine
from unknot.plans.home import views_staff as staff

episode = "episodes/<int:episode_id>/"
urlpatterns = [
    # The person's own pages.
    path("", mine.home, name="home"),
    path("handout.pdf", mine.handout_pdf, name="handout_pdf"),
    path("log/", mine.log_session, name="log"),
    path("progress/", mine.progress, name="progress"),
    path("learn/", mine.learn_list, name="learn"),
    path("learn/<slug:topic>/", mine.learn_topic, name="learn_topic"),
    path("discharge/", mine.discharge, name="discharge"),
    path("discharge.pdf", mine.discharge_pdf, name="discharge_pdf"),
    # Staff pages of one episode.
    path(f"{episode}handout.pdf", staff.handout_pdf, name="episode_handout_pdf"),
    path(f"{episode}adherence/", staff.adherence, name="episode_adherence"),
    path(f"{episode}adherence/comment/", staff.adherence_comment, name="episode_comment"),
    path(f"{episode}progress/", staff.progress, name="episode_progress"),
    path(f"{episode}report/", staff.report, name="episode_report"),
    path(f"{episode}report.pdf", staff.report_pdf, name="episode_report_pdf"),
    path(f"{episode}discharge/", staff.discharge, name="episode_discharge"),
    path(f"{episode}discharge.pdf", staff.discharge_pdf, name="episode_discharge_pdf"),
    path(f"{episode}discharge/confirm/", staff.discharge_confirm, name="episode_discharge_confirm"),
]
