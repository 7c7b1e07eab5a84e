from __future__ import annotations

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from push import services
from push.models import Broadcast, BroadcastSend, Delivery, Device, Notification, OutgoingEmail


@admin.register(Device)
class DeviceAdmin(admin.ModelAdmin):
    list_display = ["__str__", "platform", "user", "locale", "is_active", "topic", "updated_at"]
    list_filter = ["platform", "is_active"]
    search_fields = ["user__email", "token"]
    readonly_fields = ["token", "topic", "wanted_topic", "created_at", "updated_at"]
    raw_id_fields = ["user"]


class DeliveryInline(admin.TabularInline):
    model = Delivery
    extra = 0
    fields = ["channel", "device", "status", "attempts", "last_error", "sent_at"]
    readonly_fields = fields
    can_delete = False


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["title_fr", "user", "kind", "created_at", "read_at"]
    list_filter = ["kind"]
    search_fields = ["user__email", "title_fr"]
    raw_id_fields = ["user"]
    inlines = [DeliveryInline]


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    list_display = ["notification", "channel", "device", "status", "attempts", "last_error"]
    list_filter = ["status", "channel"]
    raw_id_fields = ["notification", "device"]
    actions = ["resend"]

    @admin.action(description=_("Send again"))
    def resend(self, request, queryset):
        for delivery in queryset:
            services.delivery_resend(delivery=delivery)
        messages.success(
            request, _("%(count)d delivery(ies) queued again.") % {"count": len(queryset)}
        )


class BroadcastSendInline(admin.TabularInline):
    model = BroadcastSend
    extra = 0
    fields = ["topic", "language", "status", "attempts", "last_error", "sent_at"]
    readonly_fields = fields
    can_delete = False


@admin.register(Broadcast)
class BroadcastAdmin(admin.ModelAdmin):
    list_display = ["title_fr", "kind", "created_at"]
    inlines = [BroadcastSendInline]


@admin.register(OutgoingEmail)
class OutgoingEmailAdmin(admin.ModelAdmin):
    list_display = ["to", "subject", "status", "attempts", "created_at"]
    list_filter = ["status"]
    search_fields = ["to", "subject"]
