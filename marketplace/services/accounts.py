"""Accounts: people sign up with an email address or an Indonesian mobile number.

The User model signs in by email. Someone who signs up with a phone only gets an internal
address `<digits>@telepon.pasar.invalid` (the `.invalid` top-level domain never receives mail)
and the number in `User.phone`; marketplace.auth_backends lets them sign in with the number.
"""

from __future__ import annotations

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from marketplace.models import User
from marketplace.phone import normalize_indonesian_mobile

PHONE_EMAIL_DOMAIN = "telepon.pasar.invalid"


def phone_email(phone: str) -> str:
    """The internal email of an account made with a phone number only: '+62812…' →
    '62812…@telepon.pasar.invalid'."""
    return f"{phone.lstrip('+')}@{PHONE_EMAIL_DOMAIN}"


def is_phone_email(email: str) -> bool:
    return email.lower().endswith("@" + PHONE_EMAIL_DOMAIN)


def phone_taken(phone: str) -> bool:
    return (
        User.objects.filter(phone=phone).exists()
        or User.objects.filter(email=phone_email(phone)).exists()
    )


def user_signup(
    *, email: str | None = None, phone: str | None = None, full_name: str, password: str
) -> User:
    """Make an account from an email address or an Indonesian mobile number (or both).

    Raises ValidationError with messages keyed by field ("email", "phone", "full_name",
    "password") when something is wrong; nothing is written then.
    """
    email = (email or "").strip().lower()
    full_name = " ".join((full_name or "").split())
    errors: dict[str, list] = {}

    if not email and not (phone or "").strip():
        raise ValidationError(
            {"email": _("Isi alamat email atau nomor HP.")}, code="contact_required"
        )
    if email:
        try:
            validate_email(email)
        except ValidationError:
            errors.setdefault("email", []).append(
                ValidationError(_("Alamat email tidak valid."), code="invalid")
            )
        else:
            if is_phone_email(email):
                errors.setdefault("email", []).append(
                    ValidationError(_("Alamat email tidak valid."), code="invalid")
                )
            elif User.objects.filter(email__iexact=email).exists():
                errors.setdefault("email", []).append(
                    ValidationError(
                        _("Email ini sudah terdaftar. Silakan masuk atau pakai email lain."),
                        code="duplicate_email",
                    )
                )
    normalized = ""
    if (phone or "").strip():
        try:
            normalized = normalize_indonesian_mobile(phone)
        except ValidationError:
            errors.setdefault("phone", []).append(
                ValidationError(
                    _(
                        "Nomor HP tidak valid. Tulis nomor HP Indonesia, misalnya "
                        "0812 3456 7890 atau +62 812 3456 7890."
                    ),
                    code="phone",
                )
            )
        else:
            if phone_taken(normalized):
                errors.setdefault("phone", []).append(
                    ValidationError(
                        _("Nomor HP ini sudah terdaftar. Silakan masuk atau pakai nomor lain."),
                        code="duplicate_phone",
                    )
                )
    if not full_name:
        errors.setdefault("full_name", []).append(
            ValidationError(_("Isi nama lengkap Anda."), code="required")
        )
    elif len(full_name) > User._meta.get_field("full_name").max_length:
        errors.setdefault("full_name", []).append(
            ValidationError(_("Nama terlalu panjang (paling banyak 150 huruf)."), code="max_length")
        )

    account_email = email or (phone_email(normalized) if normalized else "")
    candidate = User(email=account_email, full_name=full_name, phone=normalized)
    try:
        validate_password(password, user=candidate)
    except ValidationError as exc:
        errors.setdefault("password", []).extend(exc.error_list)

    if errors:
        raise ValidationError(errors)

    try:
        with transaction.atomic():
            return User.objects.create_user(
                account_email, password, full_name=full_name, phone=normalized
            )
    except IntegrityError as exc:
        # Someone took this email (or phone-only address) between the check and the insert.
        field = "email" if email else "phone"
        raise ValidationError(
            {field: _("Akun ini sudah terdaftar. Silakan masuk.")}, code="duplicate"
        ) from exc
