from datetime import timedelta

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PushConfig(AppConfig):
    name = "push"
    verbose_name = _("Notifications")

    def ready(self) -> None:
        from backend import schedule, signals
        from push import receivers

        signals.logged_out.connect(receivers.on_logged_out, dispatch_uid="push-logout")
        signals.user_erased.connect(receivers.on_user_erased, dispatch_uid="push-erase")
        signals.email_requested.connect(receivers.on_email_requested, dispatch_uid="push-email")
        # A safety net: retries and rows a dead worker left are sent even if no task wakes.
        schedule.register(
            schedule.Job("push-deliver", "push.tasks.deliver", every=timedelta(minutes=5))
        )
        schedule.register(
            schedule.Job("push-sync-topics", "push.tasks.sync_topics", every=timedelta(minutes=5))
        )
