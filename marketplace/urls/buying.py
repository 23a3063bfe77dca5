from django.urls import path  # noqa: F401

app_name = "buying"
urlpatterns: list = []
