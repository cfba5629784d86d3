"""Staff-only previews: any object in any state, with its draft changes, as
visitors would see it once published; never indexed, never cached. The draft
is applied to objects in memory: nothing is written."""

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.cache import add_never_cache_headers

from publishing import drafts
from publishing.models import Draft


def with_draft(obj):
    """Return `obj` and its parts ({relation: [parts]}) as its draft has them."""
    draft = Draft.of(obj)
    if draft is None:
        return obj, {
            name: list(getattr(obj, name).all()) for name, *_ in drafts.relations(obj)
        }
    return drafts.build(obj, draft.values)


class PreviewMixin:
    """For a DetailView whose URL has the object's `pk`."""

    def get(self, request, *args, **kwargs):
        model = self.model
        user = request.user
        permission = f"{model._meta.app_label}.view_{model._meta.model_name}"
        if not (user.is_active and user.is_staff and user.has_perm(permission)):
            raise Http404
        obj = get_object_or_404(self.get_queryset(), pk=kwargs["pk"])
        self.object, self.parts = with_draft(obj)
        context = self.get_context_data(
            object=self.object, preview=True, object_url=model.get_preview_url
        )
        response = self.render_to_response(context).render()
        response["X-Robots-Tag"] = "noindex, nofollow"
        add_never_cache_headers(response)
        return response
