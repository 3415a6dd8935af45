"""The article list's filters by tag and by the desk's blocks (the state filter is in ``states``)."""

from django.contrib import admin
from taggit.models import Tag

from articles.desk import dashboard


class TagFilter(admin.SimpleListFilter):
    """Tags of the articles this user can see in the list: a writer is not shown tags that only other
    people's drafts carry."""

    title = "tag"
    parameter_name = "tag"

    def lookups(self, request, model_admin):
        tags = Tag.objects.all()
        if not request.user.has_perm("articles.edit_any_article"):  # editors see every article, so every tag
            visible = model_admin.get_queryset(request).values("pk")
            tags = tags.filter(articles_taggedarticle_items__content_object__in=visible).distinct()
        return [(tag.slug, tag.name) for tag in tags.order_by("name")]

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(tags__slug=self.value())
        return queryset


class DeskFilter(admin.SimpleListFilter):
    """The desk's blocks as list filters: each dashboard block links here."""

    title = "desk"
    parameter_name = "desk"

    def lookups(self, request, model_admin):
        return [(key, label) for key, (label, _) in dashboard.desk_filters(request.user).items()]

    def queryset(self, request, queryset):
        filters = dashboard.desk_filters(request.user)
        if self.value() in filters:
            if self.value() == "sent_back":
                queryset = dashboard.with_last_source(queryset)
            return queryset.filter(filters[self.value()][1])  # no condition joins a table: each article once
        return queryset
