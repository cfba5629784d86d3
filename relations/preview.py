"""Staff-only previews: any object in any state, with its draft changes, as
visitors would see it once published; never indexed, never cached."""

from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.cache import add_never_cache_headers

from .models import DraftChange


class PreviewMixin:
    """For a DetailView whose URL has the object's `pk`."""

    def previewed_objects(self, obj):
        """Return the objects whose draft changes the preview shows."""
        return [obj]

    def get(self, request, *args, **kwargs):
        model = self.model
        user = request.user
        permission = f"{model._meta.app_label}.view_{model._meta.model_name}"
        if not (user.is_active and user.is_staff and user.has_perm(permission)):
            raise Http404
        obj = get_object_or_404(model, pk=kwargs["pk"])
        # Show the draft changes, then undo them.
        with transaction.atomic():
            for draft in DraftChange.objects.for_objects(self.previewed_objects(obj)):
                draft.apply()
            self.object = self.get_queryset().get(pk=obj.pk)
            context = self.get_context_data(
                object=self.object, preview=True, object_url=model.get_preview_url
            )
            response = self.render_to_response(context).render()
            transaction.set_rollback(True)
        response["X-Robots-Tag"] = "noindex, nofollow"
        add_never_cache_headers(response)
        return response
