"""The authors, sections and tags an import names, each looked up (or made) once a run."""

from django.db import transaction
from taggit.models import Tag

from articles.models import Author, KindOfWork, Section
from interchange.frontmatter import FrontMatterError


class NamedRows:
    """Committed rows by name: what a file's transaction made is kept only once it commits, as a failed file's
    rollback takes its new rows with it."""

    def __init__(self):
        self._authors = {}  # by folded name
        self._sections = {}  # by (folded name, slug)
        self._tags = {}  # by folded name
        self._kinds = {}  # by folded name or slug, as files give them

    def forget(self):
        """Drop everything: rows found inside a transaction that rolled back may be gone with it."""
        self._authors.clear()
        self._sections.clear()
        self._tags.clear()
        self._kinds.clear()

    @staticmethod
    def _remember(found, key, obj, created):
        if created:
            transaction.on_commit(lambda: found.setdefault(key, obj))
        else:
            found[key] = obj
        return obj

    def author(self, name):
        """The Author of that name (matched case-insensitively), made when there is none."""
        key = name.casefold()
        if key in self._authors:
            return self._authors[key]
        return self._remember(self._authors, key, *Author.objects.get_or_create_by_name(name))

    def section(self, found):
        """The Section for a file's SectionName, made when there is none; None for no section."""
        if found is None:
            return None
        name, slug = found
        key = (name.casefold(), slug)
        if key in self._sections:
            return self._sections[key]
        return self._remember(self._sections, key, *Section.objects.get_or_create_by_name(name, slug))

    def kind(self, given, line=None):
        """The kind of work a file names by its name or slug, in any letter case; None when it names none.
        Kinds are the editors' list: a file naming another is refused (FrontMatterError) with the kinds there are,
        as a typo would otherwise label a piece for readers with a kind nobody chose."""
        if not given:
            return None
        key = given.casefold()
        if key not in self._kinds:
            self._kinds[key] = KindOfWork.objects.named(given)
        if self._kinds[key] is None:
            del self._kinds[key]  # an editor may add it before the next file
            names = ", ".join(KindOfWork.objects.values_list("name", flat=True)) or "none yet"
            raise FrontMatterError(f"genre: no kind of work is called {given!r}; the kinds are: {names}", line)
        return self._kinds[key]

    def known_kind(self, given):
        """Whether ``given`` names a kind of work."""
        try:
            return self.kind(given) is not None
        except FrontMatterError:
            return False

    def tags(self, names):
        """Tag objects for names, matched case-insensitively (as TAGGIT_CASE_INSENSITIVE does)."""
        tags = []
        for name in names:
            key = name.casefold()
            tag = self._tags.get(key)
            if tag is None:
                tag = Tag.objects.filter(name__iexact=name).first()
                tag = self._remember(self._tags, key, tag or Tag.objects.create(name=name), tag is None)
            tags.append(tag)
        return tags
