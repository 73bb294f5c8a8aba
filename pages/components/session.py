"""What every page needs from the signed-in session: the actor and error display."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TypeVar

import streamlit as st

from case_core.kernel.actor import Actor
from case_core.kernel.errors import CaseError, StaleVersion, ValidationError

ACTOR_KEY = "actor"
# Set by app.py each run from the rate table it reads for the banner (see rate_table_state).
RATES_REVISION_KEY = "_rates_revision"
T = TypeVar("T")


def current_actor() -> Actor:
    """The signed-in actor; app.py guarantees one before any page runs."""
    actor = st.session_state.get(ACTOR_KEY)
    if not isinstance(actor, Actor):
        st.error("Session expirée : reconnectez-vous.")
        st.stop()
    return actor


def show_case_error(exc: CaseError) -> None:
    """A domain error as a French message (one line per invalid field)."""
    if isinstance(exc, ValidationError) and len(exc.errors) > 1:
        st.error("\n".join(f"- {message}" for message in exc.errors.values()))
    else:
        st.error(exc.message)
    # Reloading the browser tab would end the session; a rerun re-reads the case.
    if isinstance(exc, StaleVersion) and st.button(
        "Recharger", key=f"_reload_{id(exc)}", icon=":material/refresh:"
    ):
        st.rerun()


@contextmanager
def reporting_errors() -> Iterator[None]:
    """Show a CaseError raised inside the block instead of a crash page."""
    try:
        yield
    except CaseError as exc:
        show_case_error(exc)


def attempt(action: Callable[[], T]) -> T | None:
    """Run a service call; on a CaseError show it and return None."""
    try:
        return action()
    except CaseError as exc:
        show_case_error(exc)
        return None


def flash(message: str) -> None:
    """A success message that survives the rerun that follows a write."""
    st.session_state["_flash"] = message


def show_flash() -> None:
    message = st.session_state.pop("_flash", None)
    if message:
        st.success(message)
