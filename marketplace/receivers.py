"""Django's own signals that the marketplace listens to (domain events go through the outbox)."""

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

from marketplace.cart import cart_merge_on_login
from marketplace.services.wishlist import wishlist_merge_on_login


@receiver(user_logged_in, dispatch_uid="marketplace.cart_merge_on_login")
def merge_guest_cart(sender, request, user, **kwargs) -> None:
    if request is not None and hasattr(request, "session"):
        cart_merge_on_login(request, user)


@receiver(user_logged_in, dispatch_uid="marketplace.wishlist_merge_on_login")
def merge_guest_wishlist(sender, request, user, **kwargs) -> None:
    if request is not None and hasattr(request, "session"):
        wishlist_merge_on_login(session=request.session, user=user)
