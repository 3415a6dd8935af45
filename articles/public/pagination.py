"""Pagination that costs the same on page 1 of 1,000 articles as on page 50 of 100,000.

Django's Paginator counts every matching row on each request to number the pages. Readers only need
"newer" and "older": one row beyond the page tells whether an older page exists, and page numbers are
capped (the archive by month reaches further back) so no request walks an unbounded OFFSET.
"""

from django.core.paginator import EmptyPage, Page, PageNotAnInteger, Paginator

MAX_PAGES = 500


class WindowPage(Page):
    def __init__(self, object_list, number, paginator, *, more):
        super().__init__(object_list, number, paginator)
        self.more = more

    def has_next(self):
        return self.more


class WindowPaginator(Paginator):
    def validate_number(self, number):
        try:
            number = int(number)
        except (TypeError, ValueError):
            raise PageNotAnInteger("That page number is not a whole number.") from None
        if number < 1 or number > MAX_PAGES:
            raise EmptyPage(f"Pages run from 1 to {MAX_PAGES}; the archive reaches further back.")
        return number

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        rows = list(self.object_list[bottom : bottom + self.per_page + 1])
        if not rows and number > 1:
            raise EmptyPage("That page is past the oldest article.")
        return WindowPage(rows[: self.per_page], number, self, more=len(rows) > self.per_page)

    @property
    def num_pages(self):  # only "last" asks for it; readers page with newer and older links
        return MAX_PAGES
