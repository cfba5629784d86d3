"""User accounts in the admin: who may grant which powers.

Kept apart from config.admin, which Django imports to build the admin site
before django.contrib.auth's admin can be imported.
"""

from django.contrib.auth import admin as auth_admin
from django.contrib.auth import forms as auth_forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext

ADMINISTRATORS = "Administrator"


class UserChangeForm(auth_forms.UserChangeForm):
    """A user's account; only a superuser moves anyone in or out of the
    Administrator group."""

    acting_user = None

    def clean_groups(self):
        groups = self.cleaned_data["groups"]
        if self.acting_user is not None and self.acting_user.is_superuser:
            return groups
        before = self.instance.groups.filter(name=ADMINISTRATORS).exists()
        if before != groups.filter(name=ADMINISTRATORS).exists():
            raise ValidationError(
                gettext(
                    "Only a superuser can add someone to or remove someone from "
                    "the %(group)s group."
                ),
                params={"group": ADMINISTRATORS},
            )
        return groups


class UserAdmin(auth_admin.UserAdmin):
    """Users: only a superuser grants superuser status, single permissions or
    the Administrator group, or changes a superuser's or another
    Administrator's account."""

    form = UserChangeForm

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        # A class made for this request: the form checks who is acting.
        form.acting_user = request.user
        return form

    def get_readonly_fields(self, request, obj=None):
        fields = [*super().get_readonly_fields(request, obj)]
        if not request.user.is_superuser:
            fields += ["is_superuser", "user_permissions"]
        return fields

    def out_of_reach(self, request, obj):
        """Return True if only a superuser may change or delete `obj`: a
        superuser, or another member of the Administrator group (whose
        password or active box would otherwise be a way round the group)."""
        if obj is None or request.user.is_superuser:
            return False
        if obj.is_superuser:
            return True
        return obj != request.user and obj.groups.filter(name=ADMINISTRATORS).exists()

    def has_change_permission(self, request, obj=None):
        if self.out_of_reach(request, obj):
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if self.out_of_reach(request, obj):
            return False
        return super().has_delete_permission(request, obj)
