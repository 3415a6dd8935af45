"""The change form's workflow buttons, on top of ``workflow`` (the list's bulk transitions are in ``actions``).

A button on the change form saves the form's edits and makes the transition in one transaction: when the
transition is refused, nothing is saved and the form comes back with the editor's text and the reason, at the
top and beside the field it concerns. Publishing and scheduling first show the publish step (``steps``: what
readers and social sites will see, and the checklist) and go out only once the editor has confirmed it;
withdrawing first shows the public note readers will see (the form's Withdrawal note) and goes out only once
the editor has confirmed that note; the note for the desk stays in the workflow log.
"""

import hashlib

from django import forms

from articles.admin import steps
from articles.media import renditions
from articles.models import one_spaced
from articles.workflow import editing, transitions

SAVE = "save"  # a save without a workflow step, refused for what it takes away (``editing.taken_away``)


class RefusedAction(Exception):
    """A workflow button refused after the form's save: raised through the admin's transaction to undo it."""

    def __init__(self, name, reason, files=(), fields=None, step=None):
        super().__init__(name, reason)
        self.name, self.reason, self.files = name, reason, list(files)
        self.fields, self.step = fields or {}, step


class ConfirmWithdrawal(Exception):
    """Withdraw was pressed without confirming this public note: nothing is saved until the editor has seen it."""

    def __init__(self, public_note):
        super().__init__(public_note)
        self.public_note = public_note


class ConfirmStep(Exception):
    """Publish or Schedule was pressed without confirming the publish step: the save it came with is undone
    and the step is shown."""

    def __init__(self, step):
        super().__init__(step["name"])
        self.step = step


def note_digest(note):
    """Which public note the editor was shown, whatever a browser does to its line breaks."""
    return hashlib.sha256(one_spaced(note).encode()).hexdigest()[:16]


def pressed(request):
    """The workflow action asked for with a save, and the step it was confirmed with: a step's Confirm button
    says both ("publish:<digest>"), the bar's buttons only the action."""
    name, _, shown = request.POST.get("_confirm", "").partition(":")
    return (name, shown) if name else (request.POST.get("_transition") or "", "")


def held_form(form_class, fields, confirming):
    """``form_class`` for a form coming back unsaved: with the refusal's reasons beside their ``fields``, and
    invalid while a step waits for ``confirming``."""

    class HeldForm(form_class):
        def clean(self):
            for name, reasons in fields.items():
                if name in self.fields:
                    self.add_error(name, reasons)
            cleaned = super().clean()
            if confirming:
                raise forms.ValidationError("Check what readers will see, then confirm.", code="confirm_step")
            return cleaned

    HeldForm.__name__ = form_class.__name__
    return HeldForm


class WorkflowButtons:
    """For ArticleAdmin: the change form's workflow buttons, their steps and their refusals."""

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        """A workflow button goes with the save it is pressed with: when the action is refused (or waits for its
        step to be confirmed), the admin's transaction rolls the whole save back, and the form comes back with
        the text as typed and the reason."""
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except RefusedAction as refused:
            renditions.delete_files(refused.files)  # a picture uploaded with the refused save
            label = transitions.TRANSITIONS[refused.name].label if refused.name in transitions.TRANSITIONS else "Action"
            label = "Save" if refused.name == SAVE else label
            request.refused_action = (
                f"Nothing was saved: {label} was refused: {refused.reason}. Your text is still in the form below."
            )
            request.refused_fields, request.action_step = refused.fields, refused.step
        except ConfirmWithdrawal as confirm:
            request.withdrawal_to_confirm = confirm.public_note
        except ConfirmStep as confirm:
            request.action_step = confirm.step
        return super().changeform_view(request, object_id, form_url, extra_context)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        fields, step = getattr(request, "refused_fields", None), getattr(request, "action_step", None)
        if fields or step:
            form = held_form(form, fields or {}, confirming=step is not None and not step["refusal"])
        form.refused_action = getattr(request, "refused_action", None)
        form.withdrawal_to_confirm = getattr(request, "withdrawal_to_confirm", None)
        return form

    def save_form(self, request, form, change):
        """Withdraw is judged before anything is saved: refused, or first shown with the note readers will see."""
        article = super().save_form(request, form, change)
        name, _ = pressed(request)
        if change and not name:
            request.checklist_before = editing.stops_before_save(article)
        if name == "withdraw":
            comment = form.cleaned_data.get("transition_comment", "")
            if reason := transitions.TRANSITIONS["withdraw"].refusal(article, request.user, comment=comment):
                raise RefusedAction("withdraw", reason, fields=steps.refused_fields(reason, []))
            if request.POST.get("_public_note_shown") != note_digest(article.withdrawal_note):
                raise ConfirmWithdrawal(article.withdrawal_note)
        return article

    def finish_save(self, request, form):
        """Finish the form's save (``editing.finish_save``) with the workflow step its button asked for, if any.
        Publish and Schedule are made only once their step, as shown, is confirmed."""
        name, shown = pressed(request)
        comment = form.cleaned_data.get("transition_comment", "")
        article, files = form.instance, getattr(form, "added_files", [])
        if name in steps.STEPPED and shown != steps.digest(article, name):
            step = steps.publish_step(article, name, request.user)
            if step["refusal"]:
                problems = steps.problems_for(name, article)
                raise RefusedAction(name, step["refusal"], files, steps.refused_fields(step["refusal"], problems), step)
            if form.cleaned_data.get("lead_image_upload"):  # a file input comes back empty: the step would lose it
                reason = "save the new lead picture first (press Save), then the publish step shows it as readers will"
                raise RefusedAction(name, reason, files, steps.refused_fields(reason, []))
            raise ConfirmStep(step)
        if not name and (missing := editing.taken_away(getattr(request, "checklist_before", None), article)):
            reason = f"missing {', '.join(missing)}, which publishing requires (it is {article.state()})"
            raise RefusedAction(SAVE, reason, files, steps.refused_fields(reason, missing))
        try:
            editing.finish_save(article, request.user, transition=name or None, comment=comment)
        except transitions.TransitionError as error:
            problems = steps.problems_for(name, article)
            raise RefusedAction(name, error, files, steps.refused_fields(str(error), problems)) from error
        if name:
            request.action_done = name

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        note = getattr(request, "withdrawal_to_confirm", None)
        step = getattr(request, "action_step", None)
        confirming = note is not None or (step is not None and not step["refusal"])
        if confirming and len(context.get("errors") or []) == 1:  # only the confirmation itself: nothing to correct
            context["errors"] = []
        if note is not None:
            context["withdrawal_to_confirm"] = {
                "note": note,
                "digest": note_digest(note),
                "comment": request.POST.get("transition_comment", "").strip(),
            }
        context["action_step"] = step
        return super().render_change_form(request, context, add, change, form_url, obj)
