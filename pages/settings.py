"""Paramètres: every declared setting (grace days, call hours, letters…), audited."""

from __future__ import annotations

import streamlit as st

# Importing the modules that declare settings registers them with their defaults.
# Importing the capabilities declares their settings (and the checks they need).
from case_core.kernel.settings import DEFAULTS, all_settings, set_settings
from pages.components.session import current_actor, flash, reporting_errors, show_flash

actor = current_actor()
st.title("Paramètres")
show_flash()

values = all_settings()
groups: dict[str, list[str]] = {}
for key in DEFAULTS:
    groups.setdefault(key.split(".")[0], []).append(key)

GROUP_TITLES = {
    "guardrails": "Garde-fous des contacts",
    "promises": "Promesses de paiement",
    "my_day": "Ma journée",
    "letters": "Courriers",
    "plans": "Échéanciers",
}

for group, keys in groups.items():
    with st.form(f"settings_{group}"):
        st.subheader(GROUP_TITLES.get(group, group.capitalize()))
        typed: dict[str, object] = {}
        for key in keys:
            default, label = DEFAULTS[key]
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
