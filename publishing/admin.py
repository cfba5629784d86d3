from django.contrib import admin

from .models import Redirect


@admin.register(Redirect)
class RedirectAdmin(admin.ModelAdmin):
    list_display = ["old_path", "new_path", "updated_at"]
    search_fields = ["old_path", "new_path"]
    readonly_fields = ["created_at", "updated_at"]
    # Django's own: templates/admin/publishing/ holds the content forms' ones,
    # which the admin would otherwise pick for this app's models.
    change_form_template = "admin/change_form.html"
    object_history_template = "admin/object_history.html"
