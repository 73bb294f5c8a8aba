"""The « Courriers » tab of the case page: generate a reminder or formal notice and
download it. The letter is stored on the case and logged in its journal by the service."""

from __future__ import annotations

import streamlit as st

from case_core.actor import Actor
from case_core.dates import format_date, today_paris
from case_core.letters import FORMAL_NOTICE_DAYS, LetterKind, generate_letter
from case_core.permissions import Perm, can
from case_core.settings import get_setting
from pages.components.session import reporting_errors

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
LAST_KEY = "_last_letter"


def render_letters_tab(actor: Actor, reference: str) -> None:
    if not can(actor, Perm.LETTERS_GENERATE):
        st.info("Votre rôle ne permet pas de générer des courriers.")
        return
    with st.form(f"letter_{reference}"):
        kind = st.selectbox(
            "Courrier",
            list(LetterKind),
            format_func=lambda k: k.label,
            key=f"letter_kind_{reference}",
        )
        c1, c2, c3 = st.columns(3)
        at = c1.date_input("Date du courrier", value=today_paris(), format="DD/MM/YYYY")
        days = c2.number_input(
            "Délai de la mise en demeure (jours)",
            min_value=1,
            max_value=90,
            value=int(get_setting(FORMAL_NOTICE_DAYS)),
        )
        ar_number = c3.text_input("N° de recommandé AR (si déjà connu)")
        submitted = st.form_submit_button("Générer le courrier", type="primary")
    if submitted:
        with reporting_errors():
            letter = generate_letter(
                actor,
                reference,
                LetterKind(kind),
                at=at,
                deadline_days=int(days),
                registered_letter_number=ar_number,
            )
            st.session_state[LAST_KEY] = letter
            message = f"{letter.kind.label} générée, enregistrée dans les documents et le journal."
            if letter.deadline:
                message += f" Délai de paiement : {format_date(letter.deadline)}."
            st.success(message)
    letter = st.session_state.get(LAST_KEY)
    if letter is not None and letter.reference == reference:
        st.download_button(
            f"Télécharger {letter.filename}",
            letter.content,
            file_name=letter.filename,
            mime=DOCX,
            key=f"letter_download_{reference}",
        )
