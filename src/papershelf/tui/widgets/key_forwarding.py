"""Keys typed in one burst after `/`: the list and the paper view hand them to the field.

A fast typist (or a paste) sends `/` and the next keys before the focus has moved, so they
would reach the view and run its bindings (`a`, `g`, …). Both views call `forward_typed_key`
first in `_on_key`: it runs the binding that opens the field at once and forwards the keys
queued behind it to the field that now has the focus.
"""

from __future__ import annotations

from textual import events
from textual.widget import Widget


async def forward_typed_key(
    view: Widget, event: events.Key, *, field: Widget | None, opens_field: str, action: str
) -> bool:
    """Handle `event` for `view`; True when done here (the caller skips its own handling).

    `field` is the text field keys go to once open (None while closed); `opens_field` is the
    registry id of the binding that opens it, and `action` the screen action it runs.
    """
    if field is not None and field is not view:
        event.stop()
        event.prevent_default()
        field.post_message(events.Key(event.key, event.character))
        return True
    bindings = view.screen._bindings.key_to_bindings.get(event.key, ())
    if any(binding.id == opens_field for binding in bindings):
        # Open the field now, so the keys queued behind this one find it focused.
        event.stop()
        event.prevent_default()
        await view.screen.run_action(action)
        return True
    return False
