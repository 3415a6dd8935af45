"""What the admin's inlines build from the counts a post carries, bounded (the autocomplete's choices are checked
in numbers.py)."""

from django.core.exceptions import ValidationError


class BoundedInlineMixin:
    """An inline builds at most the rows its object has plus ``more_rows`` from a post, whatever count the post
    claims: Django's own bound is 2,000 forms, which take a change form past the server's timeout to draw.

    And a new row is checked against the rows already stored: Django leaves out of a row's validation every
    constraint that names the parent (``byline_unique_author``), so a row posted as new for an author already
    credited (a post whose INITIAL_FORMS is lower than the rows it carries) reached the database's unique index.
    """

    more_rows = 100

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        stored = formset.model._default_manager.filter(**{formset.fk.name: obj}).count() if obj is not None else 0

        class Guarded(formset):
            absolute_max = stored + self.more_rows
            max_num = min(formset.max_num, stored + self.more_rows)

            def clean(self):
                super().clean()
                for form in self.extra_forms:
                    if form.has_changed() and form.is_valid() and not self._should_delete_form(form):
                        try:
                            form.instance.validate_constraints()
                        except ValidationError as error:
                            form.add_error(None, error)

        return Guarded
