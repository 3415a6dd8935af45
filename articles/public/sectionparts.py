"""What other apps add to a section's front, registered from their ``AppConfig.ready()`` (the content knows none
of them), as ``parts`` does for an article's page.

A part is ``part(request, section) -> dict | None``: None when it has nothing to add to that section's front,
else the slots it fills (``SLOTS``):

- ``after_list``: what is shown under the section's articles, each a dict naming the ``template`` to include
  (given the dict as ``part``) and the context it needs.

The page is cached for readers: a part shows nothing of the visitor, and tags what it shows
(``pagecache.keys.tag``) so that a change to it retires the page.
"""

SLOTS = ("after_list",)

_PARTS = []


def register_part(part):
    if part not in _PARTS:
        _PARTS.append(part)


def section_parts(request, section):
    """The context the registered parts add to the section's front: ``section_parts``, the slots they filled."""
    found = {slot: [] for slot in SLOTS}
    for part in _PARTS:
        slots = part(request, section) or {}
        unknown = set(slots) - set(SLOTS)
        if unknown:
            raise ValueError(f"A section front's part has no slot {', '.join(sorted(unknown))}: use {SLOTS}.")
        for slot in SLOTS:
            found[slot] += slots.get(slot, [])
    return {"section_parts": found}
