"""Mon compte: who I am, and changing my password."""

from __future__ import annotations

import streamlit as st

from case_core.accounts import auth
from pages.components.session import current_actor, flash, reporting_errors, show_flash

actor = current_actor()
st.title("Mon compte")
show_flash()
st.markdown(f"**{actor.full_name}** · {actor.email} · {actor.role.label}")

st.subheader("Changer de mot de passe")
with st.form("change_password", clear_on_submit=True):
    current = st.text_input("Mot de passe actuel", type="password")
    new = st.text_input(
        f"Nouveau mot de passe ({auth.MIN_PASSWORD_LENGTH} caractères au moins)", type="password"
    )
    confirm = st.text_input("Confirmez le nouveau mot de passe", type="password")
    submitted = st.form_submit_button("Changer le mot de passe", type="primary")

if submitted:
    if new != confirm:
        st.error("La confirmation ne correspond pas au nouveau mot de passe.")
    else:
        with reporting_errors():
            auth.change_own_password(actor, current, new)
            flash("Mot de passe changé.")
            st.rerun()
