"""django-taggit's tag admin as the newsroom has it: answering a simultaneous add (admin_clashes), with its
inline bounded like every other inline here (admin_guards), and with the search the article form's tag chooser
asks as one types (``articles.admin.tagging``)."""

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.db.models import Case, IntegerField, Value, When
from django.http import JsonResponse
from django.urls import path
from taggit.admin import TaggedItemInline
from taggit.models import Tag

from articles.admin import clashes as admin_clashes
from articles.admin.guards import BoundedInlineMixin
from articles.models import one_spaced

SEARCH_RESULTS = 10


class BoundedTaggedItemInline(BoundedInlineMixin, TaggedItemInline):
    pass


class TagAdmin(admin_clashes.TagAdmin):
    inlines = [BoundedTaggedItemInline]

    def get_urls(self):
        search = path("search/", self.admin_site.admin_view(self.search_view), name="taggit_tag_search")
        return [search, *super().get_urls()]

    def search_view(self, request):
        """The tags whose names hold what was typed (``?q=``), the one so named and those starting with it first, as
        JSON; and whether the user may create a tag that is not among them."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        typed = one_spaced(request.GET.get("q", ""))[:100]
        tags = []
        if typed:
            tags = (
                Tag.objects.filter(name__icontains=typed)
                .annotate(
                    rank=Case(
                        When(name__iexact=typed, then=Value(0)),
                        When(name__istartswith=typed, then=Value(1)),
                        default=Value(2),
                        output_field=IntegerField(),
                    )
                )
                .order_by("rank", "name")
                .values_list("name", flat=True)[:SEARCH_RESULTS]
            )
        return JsonResponse(
            {"results": [{"name": name} for name in tags], "may_create": request.user.has_perm("taggit.add_tag")}
        )


admin.site.unregister(Tag)  # django-taggit's, replaced by the same with the answer to a simultaneous add
admin.site.register(Tag, TagAdmin)
