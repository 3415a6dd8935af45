"""The survey's walk through the admin: each form (article, section, author, picture, banner, pin, site settings
with a stored logo, tag, and the lists edited in place) posted back as the admin filled it, with one field
changed at a time: numbers out of range in each numeric field, line breaks in each one-line field. Then the
JSON endpoints the editor calls (autosave, heartbeat, preview, the picture picker, the library upload) with
the same values in each parameter, and the front-page board's moves, the tag search and the publish step's
buttons with forged values, tags named oddly. One change per request, so an answer 5xx names its field."""

import html
import io
import itertools
import re
import threading
from concurrent.futures import ThreadPoolExecutor

NUMBERS = ["-1", str(2**31), str(2**63), str(2**70), "1.5", "abc", ""]
COUNTS = ["-1", str(2**31), "abc"]  # row counts and the ids of rows: Django reads each as one integer, whichever
HUGE_IDS = [str(2**31), str(2**63), str(2**70)]  # where the address takes only digits
BREAKS = {"CR": "\r", "LF": "\n", "CRLF": "\r\n", "U+2028": "\u2028"}
# Every break in one post per field: each reaches each field, in a quarter of the requests (the article's
# change form takes a quarter of a second to draw, and the survey runs three times in CI).
BROKEN_LINES = {"CR, LF, CRLF and U+2028": "one\rtwo\nthree\r\nfour\u2028five"}
ONE_LINE_INPUTS = {"text", "url", "email", "search", "tel", "date", "time", "datetime-local"}
USERS = ["chief", "chief-2", "chief-3"]  # throttled endpoints take turns among them
_shades = itertools.count(1)


def _attributes(text):
    return {name.lower(): html.unescape(value) for name, value in re.findall(r'([\w:-]+)(?:="([^"]*)")?', text)}


class Form:
    """The biggest form on a page as the browser would post it back unchanged, and which fields take what."""

    def __init__(self, page):
        body = max(re.findall(r"<form\b[^>]*>(.*?)</form>", page.decode(errors="replace"), re.S), key=len, default="")
        self.fields, self.numeric, self.one_line, self.hidden = {}, [], [], set()
        for match in re.finditer(r"<input\b([^>]*)>", body):
            attributes = _attributes(match.group(1))
            name, kind = attributes.get("name", ""), attributes.get("type", "text").lower()
            if not self._posted(name) or kind in ("submit", "button", "file", "image", "reset"):
                continue
            if kind in ("checkbox", "radio"):
                if "checked" in attributes:
                    self.fields[name] = attributes.get("value") or "on"
                continue
            value = self.fields.setdefault(name, attributes.get("value", ""))
            if kind == "hidden":
                self.hidden.add(name)
            if kind == "number" or (kind == "hidden" and value.isdigit()):
                self.numeric.append(name)
            elif kind in ONE_LINE_INPUTS:
                self.one_line.append(name)
        for match in re.finditer(r"<textarea\b([^>]*)>(.*?)</textarea>", body, re.S):
            name = _attributes(match.group(1)).get("name", "")
            if self._posted(name):
                self.fields.setdefault(name, html.unescape(match.group(2)).removeprefix("\n"))
        for match in re.finditer(r"<select\b([^>]*)>(.*?)</select>", body, re.S):
            attributes, options = _attributes(match.group(1)), match.group(2)
            name = attributes.get("name", "")
            if not self._posted(name):
                continue
            values = re.findall(r'<option value="([^"]*)"([^>]*)>', options)
            chosen = [value for value, rest in values if "selected" in rest]
            self.fields[name] = html.unescape(chosen[0]) if chosen else ""
            keys = [value for value, _ in values if value]
            if "admin-autocomplete" in attributes.get("class", "") or (keys and all(k.isdigit() for k in keys)):
                self.numeric.append(name)

    @staticmethod
    def _walked(name):
        """Inline rows after the first are the same fields again; of the other inlines' counts, the total."""
        row = re.match(r"[\w-]+?-(\d+)-", name)
        return not (row and row.group(1) != "0") and not (name.endswith("INITIAL_FORMS") and "bylines" not in name)

    @staticmethod
    def _posted(name):
        ignored = ("MIN_NUM_FORMS", "MAX_NUM_FORMS")  # Django reads neither from a post
        return (
            name not in ("", "csrfmiddlewaretoken")
            and not name.startswith("_")
            and "__prefix__" not in name
            and not name.endswith(ignored)
        )

    def cases(self):
        """(name, value, label): each numeric field with each number, each one-line field with each break."""
        for name in filter(self._walked, self.numeric):
            for number in COUNTS if name.endswith(("_FORMS", "-id", "-article")) else NUMBERS:
                yield name, number, repr(number)
        for name in filter(self._walked, self.one_line):
            for label, lines in BROKEN_LINES.items():
                yield name, f"{self.fields.get(name, '')}{lines}", label


def png(size=(12, 12)):
    """A small PNG of a colour no earlier call made, so the library takes each as a new picture."""
    from PIL import Image

    shade = next(_shades)
    buffer = io.BytesIO()
    Image.new("RGB", size, (shade * 37 % 256, shade * 91 % 256, shade * 13 % 256)).save(buffer, "PNG")
    return buffer.getvalue()


def walk_form(survey, path, *, extra=None, upload=None):
    """Post the form at `path` back once per case, two at a time (the survey's gunicorn has two workers);
    `upload` (a field name) sends a new picture with each."""
    token, page = survey.form_token(path)
    form = Form(page)
    base = form.fields | {"csrfmiddlewaretoken": token} | (extra or {})
    lock = threading.Lock()

    def post_case(case):
        name, value, label = case
        files = {upload: ("survey.png", png())} if upload else {}
        with lock:
            fields = base | {name: value}
        status, _ = survey.multipart(path, fields, files, label=f"{path} {name} {label}")
        if status == 302 and form.hidden:  # saved: the next posts start from the stored version and row ids
            fresh = Form(survey.request("GET", path)[1])
            with lock:
                base.update({name: fresh.fields[name] for name in fresh.hidden if name in fresh.fields})

    with ThreadPoolExecutor(max_workers=2) as pool:
        list(pool.map(post_case, form.cases()))


def change_link(survey, model, app="articles", create=None):
    """The change page of the first object listed, after adding one from `create` when the list is empty."""
    listing = f"/admin/{app}/{model}/"
    found = re.search(rf'href="({listing}\d+/change/)'.encode(), survey.request("GET", listing)[1])
    if not found and create is not None:
        token, _ = survey.form_token(f"{listing}add/")
        survey.multipart(f"{listing}add/", {"csrfmiddlewaretoken": token, **create}, {})
        found = re.search(rf'href="({listing}\d+/change/)'.encode(), survey.request("GET", listing)[1])
    return found.group(1).decode() if found else None


def post(survey, path, fields, label=None):
    token = survey.cookies.get("csrftoken", "")
    return survey.multipart(path, {"csrfmiddlewaretoken": token, **fields}, {}, label=label)


class Turns:
    """Signs in as the next user every `every` requests, so that no case meets a per-user throttle (a 429)
    instead of the code it is meant to reach."""

    def __init__(self, survey, every):
        self.survey, self.every, self.count = survey, every, 0
        self.users = itertools.cycle(USERS)

    def __call__(self):
        if self.count % self.every == 0:
            self.survey.login(next(self.users))
            self.survey.form_token("/admin/")  # the CSRF cookie, for posts without a form page
        self.count += 1


def walk_admin(survey, article_change):
    """Every admin form and JSON endpoint, as above. `article_change` is an article's change page."""
    pk = re.search(r"/(\d+)/change/", article_change).group(1)
    base = article_change.removesuffix(f"{pk}/change/")

    survey.group = "admin forms: numbers out of range, line breaks in one-line fields"
    survey.login(USERS[0])
    walk_form(survey, article_change)
    section = change_link(survey, "section", create={"name": "Survey desk", "slug": "survey-desk", "position": "0"})
    banner = change_link(survey, "banner", create={"text": "Survey banner", "link": "/"})
    pin = change_link(survey, "pin", create={"article": pk, "place": "top", "position": "0"})
    others = [change_link(survey, "author"), change_link(survey, "image"), change_link(survey, "tag", app="taggit")]
    for path in (section, banner, pin, *others, "/admin/articles/section/", "/admin/articles/pin/"):
        if path:
            walk_form(survey, path, extra={"_save": "Save"} if not path.endswith("/change/") else None)
    for model in ("article", "section", "author", "image", "banner", "pin", "sitesettings"):
        for number in HUGE_IDS:
            survey.request("GET", f"/admin/articles/{model}/{number}/change/")

    survey.group = "admin: site settings with a stored logo"
    settings = "/admin/articles/sitesettings/1/change/"  # the one row (SiteSettings.SINGLETON)
    token, page = survey.form_token(settings)
    form = Form(page)
    survey.multipart(settings, form.fields | {"csrfmiddlewaretoken": token}, {"logo": ("logo.png", png((300, 80)))})
    for field in ("logo", "social_image", "publisher_logo"):  # each after a logo is stored
        token, page = survey.form_token(settings)
        survey.multipart(settings, Form(page).fields | {"csrfmiddlewaretoken": token},
                         {field: (f"{field}.png", png((1200, 630)))}, label=f"{settings} {field} upload")  # fmt: skip
    walk_form(survey, settings)

    survey.group = "admin JSON endpoints: autosave, heartbeat, preview, picker, upload, revisions"
    turn = Turns(survey, every=12)  # autosaves: 20 a minute each
    writing = {"title": "Autosaved title", "dek": "Autosaved dek.", "body": "Autosaved body."}
    for number in NUMBERS:
        for path in (f"{base}{pk}/autosave/", f"{base}autosave/"):
            turn()
            post(survey, path, writing | {"version": number}, label=f"{path} version={number!r}")
    for label, brk in BREAKS.items():
        turn()
        post(survey, f"{base}{pk}/autosave/", writing | {"title": f"Autosaved{brk}title"}, label=f"autosave {label}")
    for number in HUGE_IDS:
        for endpoint in ("autosave", "presence"):
            turn()
            post(survey, f"{base}{number}/{endpoint}/", writing)
    for number in NUMBERS:  # heartbeats: 60 a minute each, far more than these
        post(survey, f"{base}{pk}/presence/", {"take_over": number}, label=f"presence take_over={number!r}")
    post(survey, f"{base}{pk}/presence/", {"leave": "1"})
    turn = Turns(survey, every=8)  # previews: 10 in 10 seconds each
    for number in NUMBERS:
        turn()
        post(survey, f"{base}preview-markdown/", {"body": f"![x](image:{number})", "title": "Preview"},
             label=f"preview image:{number}")  # fmt: skip
    for label, brk in BREAKS.items():
        for field in ("title", "lead_image_url"):
            turn()
            post(survey, f"{base}preview-markdown/", {"body": "Text.", field: f"https://example.org/a{brk}b"},
                 label=f"preview {field} {label}")  # fmt: skip
    for value in [*NUMBERS, *(f"a{brk}b" for brk in BREAKS.values())]:
        survey.request("GET", "/admin/articles/image/picker/search/?" + _query(q=value))
    for label, lines in BROKEN_LINES.items():
        token = survey.cookies.get("csrftoken", "")
        survey.multipart("/admin/articles/image/picker/upload/", {"csrfmiddlewaretoken": token, "alt": lines},
                         {"file": ("picked.png", png())}, label=f"picker upload alt {label}")  # fmt: skip
    walk_form(survey, "/admin/articles/image/upload/", upload="files")
    for number in NUMBERS:
        survey.request("GET", f"{base}{pk}/revisions/?" + _query(**{"from": number, "to": number}))
    for number in HUGE_IDS:
        survey.request("GET", f"{base}{pk}/revisions/{number}/restore/")
    walk_board_tags_and_steps(survey, article_change)


def walk_board_tags_and_steps(survey, article_change):
    """The front-page board's moves, the tag chooser's search and the publish step's buttons, each field given
    numbers out of range, lists that are no lists, places that are none and line breaks."""
    survey.group = "admin: the front-page board, the tag search, the publish step"
    survey.login(USERS[0])
    board = "/admin/articles/pin/board/"
    _, page = survey.form_token(board)
    pins = [pk.decode() for pk in re.findall(rb'data-pin="(\d+)"', page)] or ["1"]
    found = re.search(rb'name="seen" value="([^"]*)"', page)
    seen = found.group(1).decode() if found else ""
    lists = [*NUMBERS, ",,,", f"{pins[0]},{pins[0]}", "1," * 2000, *(f"1{brk}2" for brk in BREAKS.values())]
    places = ["top", "lead", "nope", "", "top\n", "x" * 500]
    cases = [{"action": action, "pin": value, "place": "top", "seen": seen} for action in ("up", "down", "remove")
             for value in NUMBERS]  # fmt: skip
    cases += [{"action": "up", "pin": pins[-1], "place": place, "seen": seen} for place in places]
    cases += [{"action": "down", "pin": pins[0], "place": "top", "seen": value} for value in lists]
    cases += [{"action": "order", "place": "top", "seen": seen, "order": value} for value in lists]
    cases += [{"action": "order", "place": place, "seen": value, "order": value} for place in places for value in
              ("", seen)]  # fmt: skip
    cases += [{"action": "add", "article": value, "place": "top"} for value in NUMBERS]
    cases += [{"action": "add", "article": "1", "place": place} for place in places]
    cases += [{"action": value} for value in ("", "nope", "add\n", "up" * 500)] + [{}]
    cases += [{"action": "remove", "pin": pins[-1]}] * 2  # a pin removed, then removed again
    for fields in cases:
        post(survey, board, fields, label=f"{board} {fields}")
    for value in [*NUMBERS, '"', '"""', ",", "%", "_", "a" * 5000, *(f"a{brk}b" for brk in BREAKS.values())]:
        survey.request("GET", "/admin/taggit/tag/search/?" + _query(q=value), label=f"tag search q={value[:40]!r}")
    token, page = survey.form_token(article_change)
    fields = Form(page).fields | {"csrfmiddlewaretoken": token}
    for name in ("publish", "schedule", "withdraw", "submit", "send_back", "nope", ""):
        for pressed in ({"_transition": name}, {"_confirm": f"{name}:0000"}, {"_confirm": f"{name}:" + "f" * 500}):
            for after in ("desk", "story", "//evil.example"):
                survey.multipart(article_change, fields | pressed | {"_after": after, "_public_note_shown": "x"}, {},
                                 label=f"{article_change} {pressed} _after={after}")  # fmt: skip
    odd = ["!!!", "+", "\ufb00" * 60, "a" * 99 + "!", "a" * 99 + "?", "\u200b"]  # addresses made from them
    for tags in ('"', '"""', '"a, b", "c', ",".join(["x"] * 300), *odd, ", ".join(odd)):  # the last kept for readers
        token, page = survey.form_token(article_change)  # each from the version the last one saved
        survey.multipart(article_change, Form(page).fields | {"csrfmiddlewaretoken": token, "tags": tags}, {},
                         label=f"{article_change} tags={tags[:40]!r}")  # fmt: skip
    token, page = survey.form_token(article_change)
    fields = Form(page).fields | {"csrfmiddlewaretoken": token}
    for name in ("publish", "schedule"):
        _, shown = survey.multipart(article_change, fields | {"_transition": name}, {})
        confirm = re.search(rb'name="_confirm" value="([^"]+)"', shown)
        if confirm:
            survey.multipart(article_change, fields | {"_confirm": confirm.group(1).decode()}, {},
                             label=f"{article_change} {name} confirmed")  # fmt: skip


def _query(**params):
    from urllib.parse import urlencode

    return urlencode(params)
