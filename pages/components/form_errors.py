"""Validation errors shown beside their fields, kept across the rerun that follows a submit."""

from __future__ import annotations

import streamlit as st


class FormErrors:
    """The field -> message map of the last failed submit of one form."""

    def __init__(self, form_key: str) -> None:
        self.state_key = f"_errors_{form_key}"

    @property
    def errors(self) -> dict[str, str]:
        value = st.session_state.get(self.state_key)
        return value if isinstance(value, dict) else {}

    def set(self, errors: dict[str, str]) -> None:
        st.session_state[self.state_key] = dict(errors)

    def clear(self) -> None:
        st.session_state.pop(self.state_key, None)

    def show(self, *fields: str) -> None:
        """The message of each given field, right under the widget just drawn."""
        for name in fields:
            message = self.errors.get(name)
            if message:
                st.error(message, icon=":material/error:")

    def show_rest(self, known: set[str]) -> None:
        """Messages whose field has no widget of its own (e.g. the whole form)."""
        for name, message in self.errors.items():
            if name not in known:
                st.error(message)
