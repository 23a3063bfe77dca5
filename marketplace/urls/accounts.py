from django.contrib.auth import views as auth_views
from django.urls import path

from marketplace.views import accounts

app_name = "accounts"

urlpatterns = [
    path("signup/", accounts.signup, name="signup"),
    path("signup/buyer/", accounts.signup_buyer, name="signup_buyer"),
    # Before django.contrib.auth.urls (config/urls.py): the same address and template.
    path("login/", accounts.SignInView.as_view(), name="login"),
    path("orders/", accounts.my_orders, name="my_orders"),
    path("verify-email/send/", accounts.verify_email_send, name="verify_email_send"),
    path("verify-email/<str:token>/", accounts.verify_email, name="verify_email"),
    path("password-reset/", accounts.PasswordResetView.as_view(), name="password_reset"),
    path(
        "password-reset/sent/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "password-reset/<uidb64>/<token>/",
        accounts.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "password-reset/complete/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
]
