"""The change form's workflow buttons, on top of ``workflow`` (the list's bulk transitions are in ``actions``).

A button on the change form saves the form's edits and makes the transition in one transaction: when the
transition is refused, nothing is saved and the form comes back with the editor's text and the reason.
Withdrawing first shows the public note readers will see (the form's Withdrawal note) and goes out only once
the editor has confirmed that note; the note for the desk stays in the workflow log.
"""

import hashlib

from django.contrib import messages

from articles.media import renditions
from articles.models import one_spaced
from articles.workflow import editing, transitions


class RefusedAction(Exception):
    """A workflow button refused after the form's save: raised through the admin's transaction to undo it."""

    def __init__(self, name, reason, files=()):
        super().__init__(name, reason)
        self.name, self.reason, self.files = name, reason, list(files)


class ConfirmWithdrawal(Exception):
    """Withdraw was pressed without confirming this public note: nothing is saved until the editor has seen it."""

    def __init__(self, public_note):
        super().__init__(public_note)
        self.public_note = public_note


def note_digest(note):
    """Which public note the editor was shown, whatever a browser does to its line breaks."""
    return hashlib.sha256(one_spaced(note).encode()).hexdigest()[:16]


class WorkflowButtons:
    """For ArticleAdmin: the change form's "Save and: …" buttons."""

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        """A workflow button goes with the save it is pressed with: when the action is refused (or a withdrawal
        waits for its note to be confirmed), the admin's transaction rolls the whole save back, and the form comes
        back with the text as typed and the reason."""
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except RefusedAction as refused:
            renditions.delete_files(refused.files)  # a picture uploaded with the refused save
            label = transitions.TRANSITIONS[refused.name].label if refused.name in transitions.TRANSITIONS else "Action"
            request.refused_action = (
                f"Nothing was saved: {label} was refused: {refused.reason}. Your text is still in the form below."
            )
        except ConfirmWithdrawal as confirm:
            request.withdrawal_to_confirm = confirm.public_note
        return super().changeform_view(request, object_id, form_url, extra_context)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        form.refused_action = getattr(request, "refused_action", None)
        form.withdrawal_to_confirm = getattr(request, "withdrawal_to_confirm", None)
        return form

    def save_form(self, request, form, change):
        """Withdraw is judged before anything is saved: refused, or first shown with the note readers will see."""
        article = super().save_form(request, form, change)
        if request.POST.get("_transition") == "withdraw":
            comment = form.cleaned_data.get("transition_comment", "")
            if reason := transitions.TRANSITIONS["withdraw"].refusal(article, request.user, comment=comment):
                raise RefusedAction("withdraw", reason)
            if request.POST.get("_public_note_shown") != note_digest(article.withdrawal_note):
                raise ConfirmWithdrawal(article.withdrawal_note)
        return article

    def finish_save(self, request, form):
        """Finish the form's save (``editing.finish_save``) with the workflow step its button asked for, if any."""
        name = request.POST.get("_transition")
        comment = form.cleaned_data.get("transition_comment", "")
        try:
            editing.finish_save(form.instance, request.user, transition=name, comment=comment)
        except transitions.TransitionError as error:
            raise RefusedAction(name, error, getattr(form, "added_files", [])) from error
        if name:
            self.message_user(request, f"{transitions.TRANSITIONS[name].label}: done.", messages.SUCCESS)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        note = getattr(request, "withdrawal_to_confirm", None)
        if note is not None:
            if len(context.get("errors") or []) == 1:  # only the confirmation itself: nothing to correct
                context["errors"] = []
            context["withdrawal_to_confirm"] = {
                "note": note,
                "digest": note_digest(note),
                "comment": request.POST.get("transition_comment", "").strip(),
            }
        return super().render_change_form(request, context, add, change, form_url, obj)
