"""Paramètres: every declared setting (grace days, call hours, letters…), audited."""

from __future__ import annotations

import streamlit as st

from case_core.kernel.settings import set_settings
from case_core.settings_catalog import current_values, declared, group_title, grouped
from pages.components.session import current_actor, flash, reporting_errors, show_flash

actor = current_actor()
st.title("Paramètres")
show_flash()

values = current_values()
settings = declared()

for group, keys in grouped().items():
    with st.form(f"settings_{group}"):
        st.subheader(group_title(group))
        typed: dict[str, object] = {}
        for key in keys:
            default, label = settings[key]
            current = values[key]
            if isinstance(default, bool):
                typed[key] = st.checkbox(label, value=bool(current), key=f"set_{key}")
            elif isinstance(default, int):
                typed[key] = int(
                    st.number_input(label, value=int(current), step=1, key=f"set_{key}")
                )
            elif key.endswith(("address", "instructions")):
                # Kept on several lines, as printed in the letters.
                typed[key] = st.text_area(label, value=str(current), key=f"set_{key}")
            else:
                typed[key] = st.text_input(label, value=str(current), key=f"set_{key}")
        if st.form_submit_button("Enregistrer"):
            with reporting_errors():
                changed = {k: v for k, v in typed.items() if v != values[k]}
                set_settings(actor, changed)
                flash(f"{len(changed)} paramètre(s) enregistré(s).")
                st.rerun()
