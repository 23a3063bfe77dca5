from __future__ import annotations

from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import PasswordResetForm as DjangoPasswordResetForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from marketplace.services.accounts import buyer_signup, user_signup


class SignupForm(forms.Form):
    """One box takes an email address or a mobile number: many sellers have no email."""

    full_name = forms.CharField(
        label=_("Nama lengkap"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    contact = forms.CharField(
        label=_("Email atau nomor HP"),
        max_length=254,
        help_text=_("Contoh: nama@email.com atau 0812 3456 7890"),
        widget=forms.TextInput(
            attrs={"autocomplete": "username", "autocapitalize": "none", "spellcheck": "false"}
        ),
    )
    password1 = forms.CharField(
        label=_("Kata sandi"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validation.password_validators_help_text_html(),
    )
    password2 = forms.CharField(
        label=_("Ulangi kata sandi"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    # Service error keys → the form field that shows them.
    FIELD_OF = {"email": "contact", "phone": "contact", "password": "password1"}

    def contact_parts(self) -> dict[str, str]:
        contact = self.cleaned_data.get("contact", "").strip()
        return {"email": contact} if "@" in contact else {"phone": contact}

    def clean(self):
        cleaned = super().clean()
        one, two = cleaned.get("password1"), cleaned.get("password2")
        if one and two and one != two:
            self.add_error("password2", _("Kedua kata sandi tidak sama."))
        return cleaned

    def signup(self):
        """Make the account (on a valid form). Returns the user, or None after putting the
        service's objections on the form's fields."""
        try:
            return user_signup(
                full_name=self.cleaned_data["full_name"],
                password=self.cleaned_data["password1"],
                **self.contact_parts(),
            )
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                name = self.FIELD_OF.get(field, field)
                self.add_error(name if name in self.fields else None, errors)
            return None


class BuyerSignupForm(SignupForm):
    """A buyer signs up with an email address: their orders, mails and the verification link
    go there (a foreign tourist's phone is no Indonesian mobile either)."""

    contact = None  # the seller form's "email or phone" box
    email = forms.CharField(
        label=_("Alamat email"),
        max_length=254,
        help_text=_("Pakai email yang sama dengan pesanan Anda: pesanan itu akan ikut muncul."),
        error_messages={"required": _("Isi alamat email Anda.")},
        widget=forms.EmailInput(
            attrs={"autocomplete": "email", "autocapitalize": "none", "spellcheck": "false"}
        ),
    )
    field_order = ["full_name", "email", "password1", "password2"]
    FIELD_OF = {"password": "password1"}

    def signup(self):
        try:
            return buyer_signup(
                email=self.cleaned_data["email"],
                full_name=self.cleaned_data["full_name"],
                password=self.cleaned_data["password1"],
            )
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                name = self.FIELD_OF.get(field, field)
                self.add_error(name if name in self.fields else None, errors)
            return None


class PasswordResetForm(DjangoPasswordResetForm):
    """Django's reset form with our label; the mail goes out in the active language."""

    email = forms.EmailField(
        label=_("Alamat email"),
        max_length=254,
        widget=forms.EmailInput(
            attrs={"autocomplete": "email", "autocapitalize": "none", "spellcheck": "false"}
        ),
    )
