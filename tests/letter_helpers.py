"""The sender of the letters: R124-4 wants a real identity before any letter goes out."""

from __future__ import annotations

from case_core.kernel.actor import Actor
from case_core.kernel.settings import set_settings
from case_core.letters.service import SENDER_ADDRESS, SENDER_NAME

SENDER = "Recouvrement Durand"
ADDRESS = "8 rue Mercière, 69002 Lyon"


def set_sender(admin: Actor) -> None:
    """Fill in the sender settings, as an administrator does once before the first letter."""
    set_settings(admin, {SENDER_NAME: SENDER, SENDER_ADDRESS: ADDRESS})
