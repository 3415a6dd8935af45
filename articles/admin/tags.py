"""django-taggit's tag admin as the newsroom has it: answering a simultaneous add (admin_clashes) and with its
inline bounded like every other inline here (admin_guards)."""

from django.contrib import admin
from taggit.admin import TaggedItemInline
from taggit.models import Tag

from articles.admin import clashes as admin_clashes
from articles.admin.guards import BoundedInlineMixin


class BoundedTaggedItemInline(BoundedInlineMixin, TaggedItemInline):
    pass


class TagAdmin(admin_clashes.TagAdmin):
    inlines = [BoundedTaggedItemInline]


admin.site.unregister(Tag)  # django-taggit's, replaced by the same with the answer to a simultaneous add
admin.site.register(Tag, TagAdmin)
