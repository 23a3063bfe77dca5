"""What every seller view shares: sign-in, the shop check, redirects back."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed, HttpResponseRedirect
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme

from marketplace.access import seller_membership
from marketplace.models import ShopMember, ShopRole


def seller_view(*, owner_only: bool = False, methods: tuple[str, ...] = ("GET", "POST")):
    """A view of one shop's dashboard: anonymous users go to the login page; a signed-in user
    who is not a member (or not the owner, for `owner_only`) gets 404 from marketplace.access.
    The view is called as view(request, membership, **url_kwargs)."""

    allowed = [*methods, "HEAD"] if "GET" in methods else list(methods)

    def decorate(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @login_required
        @wraps(view)
        def wrapper(request: HttpRequest, shop_slug: str, **kwargs) -> HttpResponse:
            membership = seller_membership(request.user, shop_slug, owner_only=owner_only)
            if request.method not in allowed:
                return HttpResponseNotAllowed(allowed)
            return view(request, membership, **kwargs)

        return wrapper

    return decorate


def posted(request: HttpRequest) -> tuple:
    """A form's data and files on POST (even an empty POST, which must show "required"), or
    nothing on GET."""
    if request.method == "POST":
        return request.POST, request.FILES
    return None, None


def seller_render(
    request: HttpRequest,
    template: str,
    membership: ShopMember,
    context: dict | None = None,
    *,
    section: str = "",
    status: int = 200,
) -> HttpResponse:
    shop = membership.shop
    return render(
        request,
        f"marketplace/seller/{template}",
        {
            "shop": shop,
            "membership": membership,
            "is_owner": membership.role == ShopRole.OWNER,
            "section": section,
            **(context or {}),
        },
        status=status,
    )


def redirect_back(request: HttpRequest, default: str) -> HttpResponseRedirect:
    """Back to `next` when it is one of our pages, else to `default`."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return HttpResponseRedirect(target)
    return HttpResponseRedirect(default)
