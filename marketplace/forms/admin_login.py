"""The Wagtail admin's sign-in form (settings.WAGTAILADMIN_USER_LOGIN_FORM).

Wagtail's own form names its password field without a label, so Django writes the field's name,
"Password", whatever the language; Diskominfo's Indonesian admin says "Kata sandi".
"""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms.auth import LoginForm


class AdminLoginForm(LoginForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["password"].label = _("Kata sandi")
