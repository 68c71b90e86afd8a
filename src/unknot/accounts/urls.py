from django.urls import path

from unknot.accounts import views, views_second_factor

app_name = "accounts"
urlpatterns = [
    path("login/", views.login, name="login"),
    path("logout/", views.logout, name="logout"),
    path("home/", views.home, name="home"),
    path("password/reset/", views.password_reset, name="password_reset"),
    path("password/reset/sent/", views.password_reset_done, name="password_reset_done"),
    path(
        "password/reset/<uidb64>/<token>/",
        views.password_reset_confirm,
        name="password_reset_confirm",
    ),
    path("password/reset/done/", views.password_reset_complete, name="password_reset_complete"),
    path("password/change/", views.password_change, name="password_change"),
    path("password/change/done/", views.password_change_done, name="password_change_done"),
    path("second-factor/", views_second_factor.second_factor, name="second_factor"),
    path(
        "second-factor/set-up/",
        views_second_factor.second_factor_setup,
        name="second_factor_setup",
    ),
    path(
        "second-factor/turn-off/",
        views_second_factor.second_factor_disable,
        name="second_factor_disable",
    ),
    path(
        "second-factor/recovery-codes/",
        views_second_factor.recovery_codes,
        name="recovery_codes",
    ),
    path("security/", views_second_factor.security, name="security"),
]
