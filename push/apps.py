from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PushConfig(AppConfig):
    name = "push"
    verbose_name = _("Notifications")

    def ready(self) -> None:
        from backend import signals
        from push import receivers

        signals.logged_in.connect(receivers.on_logged_in, dispatch_uid="push-login")
        signals.logged_out.connect(receivers.on_logged_out, dispatch_uid="push-logout")
        signals.user_erased.connect(receivers.on_user_erased, dispatch_uid="push-erase")
        signals.email_requested.connect(receivers.on_email_requested, dispatch_uid="push-email")
