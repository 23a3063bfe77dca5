from django.urls import path

from marketplace.views import accounts

app_name = "accounts"

urlpatterns = [
    path("signup/", accounts.signup, name="signup"),
]
