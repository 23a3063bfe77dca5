"""Sign in with an email address or an Indonesian mobile number.

settings.AUTHENTICATION_BACKENDS names EmailOrPhoneBackend instead of Django's ModelBackend; it
is a ModelBackend, so permissions (Django admin, Wagtail) work as before.
"""

from __future__ import annotations

from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import ValidationError

from marketplace.models import User
from marketplace.phone import normalize_indonesian_mobile
from marketplace.services.accounts import phone_email


class EmailOrPhoneBackend(ModelBackend):
    """`username` may be an email address or a phone number in any common form (0812-3456-7890,
    +62 812 3456 7890, 62812...)."""

    def find_user(self, login: str) -> User | None:
        login = (login or "").strip()
        if not login:
            return None
        if "@" in login:
            return User.objects.filter(email__iexact=login).first()
        try:
            phone = normalize_indonesian_mobile(login)
        except ValidationError:
            return None
        matches = list(User.objects.filter(phone=phone).order_by("pk")[:2])
        if len(matches) == 1:
            return matches[0]
        if len(matches) > 1:
            # A number on more than one account says nothing about who is signing in; the
            # phone-only account (if any) is the one that owns it.
            return next((u for u in matches if u.email == phone_email(phone)), None)
        return User.objects.filter(email=phone_email(phone)).first()

    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None:
            username = kwargs.get(User.USERNAME_FIELD)
        if username is None or password is None:
            return None
        user = self.find_user(username)
        if user is None:
            # Spend the time a password check takes, so that timing does not tell whether an
            # account exists (as ModelBackend does).
            User().set_password(password)
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None
