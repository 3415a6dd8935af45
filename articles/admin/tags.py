"""django-taggit's tag admin as the newsroom has it: answering a simultaneous add (admin_clashes) and with its
inline bounded like every other inline here (admin_guards)."""

from taggit.admin import TaggedItemInline

from articles import admin_clashes
from articles.admin_guards import BoundedInlineMixin


class BoundedTaggedItemInline(BoundedInlineMixin, TaggedItemInline):
    pass


class TagAdmin(admin_clashes.TagAdmin):
    inlines = [BoundedTaggedItemInline]
