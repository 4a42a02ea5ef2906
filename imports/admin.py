"""The imports in the admin: read-only, the user's towns only (the pages' and the API's
selector); an import is made, committed and undone through ``/imports/`` or the API, and
its rows (a register may have 50,000) are listed on its page there."""

from django.contrib import admin

from casework.admin import ReadOnlyAdmin

from .models import ImportBatch
from .selectors import batch_list_for_user


@admin.register(ImportBatch)
class ImportBatchAdmin(ReadOnlyAdmin):
    list_display = ["original_name", "sheet", "kind", "town", "state", "rows_added",
                    "rows_skipped", "created_by", "created_at"]
    list_filter = ["kind", "state", "town"]
    search_fields = ["original_name", "checksum"]
    exclude = ["file"]
    readonly_fields = ["town", "kind", "state", "original_name", "checksum", "sheet",
                       "header_row", "mapping", "summary", "rows_total", "rows_added",
                       "rows_skipped", "error", "created_by", "created_at", "committed_at",
                       "undone_by", "undone_at", "undo_reason"]

    def scope_queryset(self, request, qs):
        return batch_list_for_user(user=request.user)
