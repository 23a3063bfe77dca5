"""Accounts: sign-up for sellers (an account first, then the shop at /seller/new/) and for
buyers (then "Pesanan saya"), signing in, the buyer's email verification, "Pesanan saya",
and Django's password reset under /accounts/password-reset/."""

from __future__ import annotations

import logging

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import LoginView
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET, require_POST

from marketplace.forms.accounts import BuyerSignupForm, PasswordResetForm, SignupForm
from marketplace.models import ShopMember
from marketplace.selectors.buyer_orders import ORDERS_PER_PAGE, buyer_orders
from marketplace.services.accounts import (
    email_verify,
    email_verify_send,
    is_phone_email,
)

logger = logging.getLogger(__name__)

# Where a new seller goes next. A literal path (not a URL name) so that sign-up works before
# the seller dashboard's URLs exist; keep it equal to reverse("seller:shop_create").
SELLER_SHOP_CREATE_PATH = "/seller/new/"
SELLER_HOME_PATH = "/seller/"


class SignInView(LoginView):
    """Django's login; without a `next`, someone who runs a shop lands on the seller dashboard
    (what needs doing now), everyone else on the home page."""

    def get_default_redirect_url(self) -> str:
        if ShopMember.objects.filter(user=self.request.user).exists():
            return localized_path(SELLER_HOME_PATH)
        return super().get_default_redirect_url()


def localized_path(path: str) -> str:
    """`path` in the current language: /x/ for Indonesian, /en/x/ for English."""
    language = translation.get_language() or settings.LANGUAGE_CODE
    if language == settings.LANGUAGE_CODE:
        return path
    return f"/{language}{path}"


@sensitive_post_parameters("password1", "password2")
@csrf_protect
@never_cache
def signup(request):
    if request.user.is_authenticated:
        return redirect(localized_path(SELLER_SHOP_CREATE_PATH))
    form = SignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = form.signup()
        if user is not None:
            # The first configured backend: with one backend Django would pick it itself.
            login(request, user, backend=settings.AUTHENTICATION_BACKENDS[0])
            return redirect(localized_path(SELLER_SHOP_CREATE_PATH))
    return render(request, "registration/signup.html", {"form": form})


# Buyers ----------------------------------------------------------------------------------------


def _safe_next(request: HttpRequest) -> str:
    """The `next` of the form or the address, when it points into this site; else ""."""
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    allowed = url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return candidate if allowed else ""


def _send_verification(request: HttpRequest, user) -> None:
    """Mail the link and say so; a failed send is said too (the account stays, and "Pesanan
    saya" offers a new link)."""
    try:
        email_verify_send(user=user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    except Exception:  # the mail server refused or is down: the page must still answer
        logger.exception("verification mail to user %s failed", user.pk)
        messages.error(
            request,
            _("Email verifikasi belum terkirim. Coba kirim lagi dari halaman Pesanan saya."),
        )
    else:
        messages.success(
            request,
            _(
                "Kami mengirim tautan verifikasi ke %(email)s. Buka email itu untuk menambahkan "
                "pesanan yang Anda buat sebagai tamu."
            )
            % {"email": user.email},
        )


@sensitive_post_parameters("password1", "password2")
@csrf_protect
@never_cache
def signup_buyer(request: HttpRequest) -> HttpResponse:
    """/accounts/signup/buyer/: an account to buy with, no shop; lands on `next` or
    "Pesanan saya", and mails the link that verifies the address."""
    next_url = _safe_next(request)
    if request.user.is_authenticated:
        return redirect(next_url or reverse("accounts:my_orders"))
    form = BuyerSignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = form.signup()
        if user is not None:
            login(request, user, backend=settings.AUTHENTICATION_BACKENDS[0])
            _send_verification(request, user)
            return redirect(next_url or reverse("accounts:my_orders"))
    return render(request, "registration/signup_buyer.html", {"form": form, "next": next_url})


@never_cache
@login_required
@require_GET
def my_orders(request: HttpRequest) -> HttpResponse:
    """/accounts/orders/ ("Pesanan saya"): the signed-in buyer's orders, newest first, paged."""
    page = Paginator(buyer_orders(request.user), ORDERS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "marketplace/buying/my_orders.html",
        {
            "page": page,
            "orders": page.object_list,
            "can_verify": not is_phone_email(request.user.email),
        },
    )


@never_cache
@login_required
@require_POST
def verify_email_send(request: HttpRequest) -> HttpResponse:
    """Mail a new verification link (for guest orders placed since the last one)."""
    _send_verification(request, request.user)
    return redirect("accounts:my_orders")


@never_cache
@login_required  # whoever opens the mail must also hold the account (see email_verify)
@require_GET
def verify_email(request: HttpRequest, token: str) -> HttpResponse:
    try:
        added = email_verify(token=token, user=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            _("Email Anda terverifikasi.")
            + " "
            + (
                ngettext(
                    "%(count)s pesanan tamu ditambahkan ke Pesanan saya.",
                    "%(count)s pesanan tamu ditambahkan ke Pesanan saya.",
                    added,
                )
                % {"count": added}
                if added
                else _("Tidak ada pesanan tamu baru dengan email ini.")
            ),
        )
    return redirect("accounts:my_orders")


# Password reset (Django's views; our templates, URLs under /accounts/password-reset/) ------


class PasswordResetView(auth_views.PasswordResetView):
    form_class = PasswordResetForm
    email_template_name = "registration/password_reset_email.txt"
    subject_template_name = "registration/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")
    # The link in the mail: the site's address, like every other mail (handlers.py).
    extra_email_context = {"base_url": settings.WAGTAILADMIN_BASE_URL}


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    success_url = reverse_lazy("accounts:password_reset_complete")
