"""Utilisateurs (administrators): create, change role, deactivate, reset password."""

from __future__ import annotations

import streamlit as st

from case_core.accounts import auth
from case_core.kernel.dates import format_instant
from case_core.models import Role
from pages.components.session import current_actor, flash, reporting_errors, show_flash

actor = current_actor()
st.title("Utilisateurs")
show_flash()

with reporting_errors():
    users = auth.list_users(actor)
    st.dataframe(
        [
            {
                "Nom": u.full_name,
                "E-mail": u.email,
                "Rôle": u.role.label,
                "Actif": "oui" if u.is_active else "non",
                "Dernière connexion": format_instant(u.last_login_at),
            }
            for u in users
        ],
        hide_index=True,
        width="stretch",
    )

    roles = list(Role)
    # A new generation of the form after each success empties it; an error keeps what
    # was typed.
    generation = st.session_state.setdefault("_create_user_form", 0)
    with (
        st.expander("Créer un compte", expanded=len(users) <= 1),
        st.form(f"create_user_{generation}"),
    ):
        email = st.text_input("E-mail")
        full_name = st.text_input("Nom complet")
        role = st.selectbox("Rôle", roles, format_func=lambda r: r.label, index=2)
        password = st.text_input(
            f"Mot de passe initial ({auth.MIN_PASSWORD_LENGTH} caractères au moins)",
            type="password",
        )
        if st.form_submit_button("Créer le compte", type="primary"):
            with reporting_errors():
                created = auth.create_user(actor, email, full_name, role, password)
                st.session_state["_create_user_form"] = generation + 1
                flash(f"Compte créé : `{created.email}` ({created.role.label}).")
                st.rerun()

    st.subheader("Modifier un compte")
    chosen = st.selectbox(
        "Compte",
        users,
        format_func=lambda u: (
            f"{u.full_name} <{u.email}>" + ("" if u.is_active else " (désactivé)")
        ),
    )
    if chosen is not None:
        col_role, col_active = st.columns(2)
        with col_role, st.form("change_role"):
            new_role = st.selectbox(
                "Rôle", roles, index=roles.index(chosen.role), format_func=lambda r: r.label
            )
            if st.form_submit_button("Changer le rôle"):
                with reporting_errors():
                    auth.update_user(
                        actor, chosen.id, role=new_role, expected_version=chosen.version
                    )
                    flash(f"Rôle de {chosen.email} : {new_role.label}.")
                    st.rerun()
        with col_active, st.form("toggle_active"):
            label = "Désactiver le compte" if chosen.is_active else "Réactiver le compte"
            st.caption("Un compte désactivé ne peut plus se connecter ; son historique reste.")
            if st.form_submit_button(label):
                with reporting_errors():
                    auth.update_user(
                        actor,
                        chosen.id,
                        is_active=not chosen.is_active,
                        expected_version=chosen.version,
                    )
                    flash(
                        f"Compte {chosen.email} {'désactivé' if chosen.is_active else 'réactivé'}."
                    )
                    st.rerun()
        with st.form("reset_password", clear_on_submit=True):
            new_password = st.text_input("Nouveau mot de passe", type="password")
            st.caption("Débloque aussi un compte verrouillé après trop d'essais.")
            if st.form_submit_button("Réinitialiser le mot de passe"):
                with reporting_errors():
                    auth.reset_password(actor, chosen.id, new_password)
                    flash(f"Mot de passe de {chosen.email} réinitialisé.")
                    st.rerun()
