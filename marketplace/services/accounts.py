"""Accounts: people sign up with an email address or an Indonesian mobile number; buyers
with an email address, which a mailed link verifies.

The User model signs in by email. Someone who signs up with a phone only gets an internal
address `<digits>@telepon.pasar.invalid` (the `.invalid` top-level domain never receives mail)
and the number in `User.phone`; marketplace.auth_backends lets them sign in with the number.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core import signing
from django.core.cache import caches
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from marketplace.models import Checkout, User
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


# Buyers ----------------------------------------------------------------------------------------
#
# A buyer signs up with an email address (their orders and mails go there). The User model has
# no field that records a verified email, and adding one needs a migration. So verification is
# recorded where it matters: the link mailed to the address, opened by the signed-in account
# holder, makes the guest checkouts placed with that address theirs (Checkout.buyer). Asking for
# a new link later adds guest orders placed since.

EMAIL_VERIFY_SALT = "marketplace.accounts.email_verify"
EMAIL_VERIFY_MAX_AGE = 7 * 24 * 3600  # seconds: a week to open the mail
EMAIL_VERIFY_COOLDOWN = 60  # seconds between two mails to the same account


def buyer_signup(*, email: str, full_name: str, password: str) -> User:
    """An account for buying: an email address is required (orders and mails go there), no
    shop. Raises ValidationError keyed by field, like user_signup."""
    if not (email or "").strip():
        raise ValidationError({"email": _("Isi alamat email Anda.")}, code="email_required")
    return user_signup(email=email, full_name=full_name, password=password)


def email_verify_token(user: User) -> str:
    """A signed, dated token naming the account and the address it was sent to."""
    return signing.dumps({"user": user.pk, "email": user.email.lower()}, salt=EMAIL_VERIFY_SALT)


def email_verify_link(user: User) -> str:
    """The absolute link of the mail, in the active language (/en/... in English)."""
    path = reverse("accounts:verify_email", kwargs={"token": email_verify_token(user)})
    return settings.WAGTAILADMIN_BASE_URL + path


def email_verify_cooldown_key(user: User) -> str:
    return f"email-verify:{user.pk}"


def email_verify_send(*, user: User) -> None:
    """Mail the verification link to the account's address, in the active language.

    Refused (ValidationError) for accounts made with a phone number only (code `no_email`) and
    within a minute of the previous mail (code `too_soon`)."""
    if is_phone_email(user.email):
        raise ValidationError(
            _("Akun ini tidak memakai alamat email, jadi tidak ada yang perlu diverifikasi."),
            code="no_email",
        )
    # One shared cache for all processes: add() is atomic, so two clicks send one mail.
    if not caches["throttle"].add(email_verify_cooldown_key(user), 1, EMAIL_VERIFY_COOLDOWN):
        raise ValidationError(
            _("Tautan verifikasi baru saja dikirim. Tunggu satu menit sebelum meminta lagi."),
            code="too_soon",
        )
    context = {"user": user, "link": email_verify_link(user), "days": EMAIL_VERIFY_MAX_AGE // 86400}
    subject = _("Verifikasi email Anda di Pasar Kreatif")
    body = render_to_string("registration/verify_email.txt", context)
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email], fail_silently=False)


def email_verify(*, token: str, user: User) -> int:
    """Check the mailed token for `user` (the signed-in account holder) and make the guest
    checkouts placed with their address theirs. Returns how many checkouts were added.

    Refused (ValidationError) when the link is broken (`invalid_link`), too old
    (`expired_link`), or for another account or an address the account no longer has
    (`other_account`): whoever opens the mail must also hold the account."""
    try:
        data = signing.loads(token, salt=EMAIL_VERIFY_SALT, max_age=EMAIL_VERIFY_MAX_AGE)
    except signing.SignatureExpired as exc:
        raise ValidationError(
            _("Tautan verifikasi sudah kedaluwarsa. Minta tautan baru di Pesanan saya."),
            code="expired_link",
        ) from exc
    except signing.BadSignature as exc:
        raise ValidationError(
            _("Tautan verifikasi tidak valid. Minta tautan baru di Pesanan saya."),
            code="invalid_link",
        ) from exc
    if (
        not isinstance(data, dict)
        or data.get("user") != user.pk
        or data.get("email") != user.email.lower()
    ):
        raise ValidationError(
            _("Tautan verifikasi ini untuk akun lain. Masuk dengan akun yang menerima email itu."),
            code="other_account",
        )
    if user.email_verified_at is None:
        user.email_verified_at = timezone.now()
        user.save(update_fields=["email_verified_at"])
    return guest_checkouts_claim(user=user)


def guest_checkouts_claim(*, user: User) -> int:
    """Guest checkouts placed with the user's address become theirs (their email is verified
    by the caller). Checkouts of another account are never moved."""
    return Checkout.objects.filter(buyer__isnull=True, contact_email__iexact=user.email).update(
        buyer=user
    )
