from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.contrib.contenttypes.views import shortcut
from django.core.exceptions import ObjectDoesNotExist
from django.http import Http404
from django.urls import path, reverse
from django.views.i18n import JavaScriptCatalog

from publishing.workflow import awaiting_review, may_publish
from relations.official_languages import official_languages_view


class AdminSite(admin.AdminSite):
    """The admin, with the rich-text editor's interface text in its catalogue."""

    def i18n_javascript(self, request, extra_context=None):
        packages = ["django.contrib.admin", "django_prose_editor"]
        return JavaScriptCatalog.as_view(packages=packages)(request)

    def index(self, request, extra_context=None):
        """The admin's home, with the drafts awaiting this user's review."""
        waiting = [
            (
                draft,
                target,
                reverse(
                    f"admin:{target._meta.app_label}_{target._meta.model_name}_review",
                    args=[target.pk],
                    current_app=self.name,
                ),
            )
            for draft, target in awaiting_review(request.user)
        ]
        publisher = any(
            may_publish(request.user, model())
            for model in self._registry
            if hasattr(model, "draft_children")
        )
        context = {
            "awaiting_review": waiting if publisher else None,
            "official_languages": request.user.has_perm("relations.view_relationship"),
        }
        return super().index(request, {**context, **(extra_context or {})})

    def get_urls(self):
        # Before Django's own, which redirects any staff member to any object's
        # address, an unpublished page's included.
        return [
            path(
                "r/<path:content_type_id>/<path:object_id>/",
                self.admin_view(self.view_on_site),
                name="view_on_site",
            ),
            path(
                "official-languages/",
                self.admin_view(self.official_languages),
                name="official_languages",
            ),
            *super().get_urls(),
        ]

    def official_languages(self, request):
        return official_languages_view(request, self)

    def view_on_site(self, request, content_type_id, object_id):
        """Redirect to an object's page if this user may see it in the admin."""
        try:
            kind = ContentType.objects.get(pk=content_type_id)
        except (ObjectDoesNotExist, ValueError):
            raise Http404 from None
        model = kind.model_class()
        if model is None or not self.is_registered(model):
            raise Http404
        if not self.get_model_admin(model).has_view_or_change_permission(request):
            raise Http404
        return shortcut(request, content_type_id, object_id)
