from django.urls import path

from marketplace.views import accounts

app_name = "accounts"

urlpatterns = [
    path("signup/", accounts.signup, name="signup"),
    # Before django.contrib.auth.urls (config/urls.py): the same address and template.
    path("login/", accounts.SignInView.as_view(), name="login"),
]
