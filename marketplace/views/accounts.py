"""Sign-up for sellers (an account first, then the shop at /seller/new/) and signing in."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import login
from django.contrib.auth.views import LoginView
from django.shortcuts import redirect, render
from django.utils import translation
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters

from marketplace.forms.accounts import SignupForm
from marketplace.models import ShopMember

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
