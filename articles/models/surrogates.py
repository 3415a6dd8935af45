"""The names of what reader pages show, as surrogate keys: a page carries the keys of everything it shows (in
its ``xkey`` header), and a change purges the keys of what it changed, so an edge cache drops exactly the
pages that showed it. This module is the one home of the names; the pages tag themselves with them
(``articles.public``) and the content's changes name them for the purge (``articles.edgekeys``).

Two kinds of key: what a thing *is* (an article's card or page, a section's or an author's name) and which
things a *list* holds (the articles of a section, of a tag, of an author, of the whole site). An edit of a
headline purges the first kind; a publication, a withdrawal or a move purges the second.
"""

SITE = "site"  # the site's settings: every response shows them (its name, address, time zone)
NAVIGATION = "nav"  # the sections in the header: every HTML page
BANNER = "banner"  # the breaking-news banner: every HTML page
HOME = "home"  # the front page's own arrangement (its pins)
LATEST = "latest"  # which articles are published, in what order: the front page, the latest list, the archive,
# the site's feeds, the sitemaps
TAGS = "tags"  # the list of tags (which tags have published articles)
CORRECTIONS = "corr"  # the corrections page and feed
MISSING = "missing"  # a 404 or 410: any change that can make an address answer (a publication, a new slug)


def article(pk):
    """An article's card, page or feed entry: its text, credits, tags, pictures and corrections."""
    return f"a{pk}"


def stream(pk):
    """The stream of updates of a live article (its page, its poll answer, its feeds of updates): an update
    posted, edited or deleted purges this, not the article's cards."""
    return f"u{pk}"


def section(pk):
    """A section as pages name it."""
    return f"s{pk}"


def section_list(pk):
    """Which articles a section holds."""
    return f"sl{pk}"


def kind(pk):
    """A kind of work as labels name it."""
    return f"k{pk}"


def kind_list(pk):
    """Which articles are of a kind (the API's list filtered by it)."""
    return f"kl{pk}"


def tag(pk):
    """A tag as pages name it."""
    return f"t{pk}"


def tag_list(pk):
    """Which articles carry a tag."""
    return f"tl{pk}"


def author(pk):
    """An author as bylines and their page show them."""
    return f"p{pk}"


def author_list(pk):
    """Which articles an author is credited on."""
    return f"pl{pk}"


def picture(pk):
    """A library picture, wherever it is shown: a lead, a card, a body."""
    return f"i{pk}"
