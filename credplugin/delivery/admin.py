"""Admin for delivery: where badges went through wallets, and the Open Badges API clients and
their reads. Read-only: a client is removed by deleting its OAuth application."""

from django.contrib import admin

from credplugin.admin import ReadOnlyAdmin
from credplugin.models import ObApiClient, ObApiUse, WalletExchange


@admin.register(WalletExchange)
class WalletExchangeAdmin(ReadOnlyAdmin):
    """Where badges went: each "Add to wallet" exchange and the wallet DID it delivered to.
    The exchange id and challenge (a live exchange's capability) are never displayed."""

    list_display = ("badge", "user", "created", "expires_at", "completed_at", "holder_did")
    fields = list_display
    readonly_fields = fields
    search_fields = ("user__username", "badge__uuid", "holder_did")
    list_select_related = ("badge", "user")
    ordering = ("-created", "-id")


@admin.register(ObApiClient)
class ObApiClientAdmin(ReadOnlyAdmin):
    """Open Badges API clients from dynamic registration; remove one by deleting its OAuth
    application (django-oauth-toolkit's admin), which revokes its tokens too."""

    list_display = ("__str__", "application", "scope", "created")
    fields = ("application", "scope", "metadata", "created")
    readonly_fields = fields
    list_select_related = ("application",)


@admin.register(ObApiUse)
class ObApiUseAdmin(ReadOnlyAdmin):
    """When each API client last read each learner's data."""

    list_display = ("client", "user", "last_read")
    fields = list_display
    readonly_fields = fields
    search_fields = ("user__username",)
    list_select_related = ("client", "user")
