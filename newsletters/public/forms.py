"""The readers' forms: signing up, asking for a new link, and one's preferences. Addresses are checked by
``signup.normalise``, whose message (``BadAddress``) is the one shown."""

from datetime import timedelta
from urllib.parse import urlsplit

from django import forms
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme

from newsletters import signup
from newsletters.models import Subscriber
from newsletters.public.offer import open_lists

PAUSES = {"": None, "7": 7, "30": 30, "90": 90}
PAUSE_LABELS = {"": "Not paused", "7": "For 1 week", "30": "For 1 month", "90": "For 3 months"}
KEEP = "keep"


def site_path(value):
    """``value`` when it is a path of this site (the page a form was on), else the newsletters page: the
    consent's source is never another site's address, a protocol-relative one or a control character."""
    value = (value or "").strip()
    path = urlsplit(value).path if url_has_allowed_host_and_scheme(value, allowed_hosts=None) else ""
    printable = all(32 < ord(c) != 127 for c in value)
    if not printable or not path.startswith("/") or path.startswith(("//", "/\\")) or len(value) > signup.SOURCE_LENGTH:
        return reverse("newsletters:index")
    return path


class AddressForm(forms.Form):
    address = forms.CharField(required=False, strip=False)

    def clean_address(self):
        try:
            return signup.normalise(self.cleaned_data["address"])
        except signup.BadAddress as error:
            raise forms.ValidationError(str(error)) from None


class SignupForm(AddressForm):
    """The sign-up form: an address, one checkbox per open list (``list``: its pk) and the page it was on."""

    list = forms.TypedMultipleChoiceField(
        coerce=int,
        error_messages={
            "required": "Choose at least one newsletter.",
            "invalid_choice": "One of the newsletters you chose is no longer open: choose again.",
            "invalid_list": "Choose at least one newsletter.",
        },
    )
    source = forms.CharField(required=False, strip=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.lists = open_lists()
        self.fields["list"].choices = [(str(item.pk), item.name) for item in self.lists]

    def clean_source(self):
        return site_path(self.cleaned_data["source"])

    def chosen(self):
        """The pks of the lists the reader ticked, as sent (to tick them again when the form is shown again)."""
        return {value for value in self.data.getlist("list") if value.isdigit()} if self.is_bound else set()


class PreferencesForm(forms.Form):
    """The preferences page: which lists (the open ones and any the address is on), the format, a pause."""

    list = forms.TypedMultipleChoiceField(coerce=int, required=False)
    format = forms.ChoiceField(choices=Subscriber.Format.choices)
    pause = forms.ChoiceField(required=False)

    def __init__(self, subscriber, lists, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.subscriber, self.lists = subscriber, lists
        self.fields["list"].choices = [(str(newsletter.pk), newsletter.name) for newsletter in lists]
        pauses = list(PAUSE_LABELS.items())
        if subscriber.paused_until and subscriber.paused_until > timezone.now():
            until = timezone.localtime(subscriber.paused_until)
            pauses.insert(0, (KEEP, f"Paused until {until:%-d %B %Y}"))
        self.fields["pause"].choices = pauses

    def paused_until(self):
        choice = self.cleaned_data.get("pause") or ""
        if choice == KEEP:
            return self.subscriber.paused_until
        days = PAUSES[choice]
        return timezone.now() + timedelta(days=days) if days else None

    def chosen(self):
        by_pk = {newsletter.pk: newsletter for newsletter in self.lists}
        return [by_pk[pk] for pk in self.cleaned_data["list"]]
