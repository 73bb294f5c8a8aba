"""The « Courriers » tab of the case page: generate a reminder or formal notice and
download it. The letter is stored on the case and logged in its journal by the service."""

from __future__ import annotations

import streamlit as st

from case_core.kernel.actor import Actor
from case_core.kernel.dates import format_date, today_paris
from case_core.kernel.errors import CaseError
from case_core.kernel.permissions import Perm, can
from case_core.kernel.settings import get_setting
from case_core.letters.service import FORMAL_NOTICE_DAYS, LetterKind, generate_letter, letter_checks
from pages.components.session import reporting_errors, show_case_error

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
LAST_KEY = "_last_letter"
DONE_KEY = "_letter_done"


def render_letters_tab(actor: Actor, reference: str) -> None:
    if not can(actor, Perm.LETTERS_GENERATE):
        st.info("Votre rôle ne permet pas de générer des courriers.")
        return
    try:
        checks = letter_checks(actor, reference)
    except CaseError as exc:
        show_case_error(exc)
        return
    # Said before the user fills the form, not after a refused click.
    if checks.sender_missing:
        st.warning(checks.sender_missing)
    if checks.time_barred:
        st.warning(checks.time_barred)
    if checks.active_plan:
        st.warning(checks.active_plan)
    today = today_paris()
    # Outside the form so that the date field shows as soon as it is ticked.
    already_sent = st.checkbox(
        "Enregistrer un courrier déjà envoyé",
        key=f"letter_sent_{reference}",
        help="Un courrier est daté du jour. Cochez pour enregistrer un courrier envoyé "
        "avant d'être saisi ici, à sa date d'envoi.",
    )
    with st.form(f"letter_{reference}"):
        kind = st.selectbox(
            "Courrier",
            list(LetterKind),
            format_func=lambda k: k.label,
            key=f"letter_kind_{reference}",
        )
        c1, c2, c3 = st.columns(3)
        if already_sent:
            at = c1.date_input(
                "Date d'envoi du courrier",
                value=None,
                max_value=today,
                format="DD/MM/YYYY",
                key=f"letter_date_{reference}",
            )
            date_confirmed = st.checkbox(
                "Je confirme que ce courrier a été envoyé à la date indiquée",
                key=f"letter_date_ok_{reference}",
            )
        else:
            c1.text_input("Date du courrier", value=format_date(today), disabled=True)
            at, date_confirmed = today, False
        days = c2.number_input(
            "Délai de la mise en demeure (jours)",
            min_value=1,
            max_value=90,
            value=int(get_setting(FORMAL_NOTICE_DAYS)),
        )
        ar_number = c3.text_input(
            "N° de recommandé AR (si déjà connu)", key=f"letter_ar_{reference}"
        )
        include_time_barred = (
            st.checkbox(
                "Je sais que la créance est prescrite et j'envoie quand même le courrier",
                key=f"letter_barred_{reference}",
            )
            if checks.time_barred
            else False
        )
        confirm_active_plan = (
            st.checkbox(
                "Je confirme l'envoi malgré l'échéancier en cours",
                key=f"letter_plan_{reference}",
            )
            if checks.active_plan
            else False
        )
        submitted = st.form_submit_button(
            "Générer le courrier", type="primary", disabled=bool(checks.sender_missing)
        )
    if submitted and already_sent and (at is None or not date_confirmed):
        st.error("Indiquez la date d'envoi du courrier et confirmez-la.")
    elif submitted:
        with reporting_errors():
            letter = generate_letter(
                actor,
                reference,
                LetterKind(kind),
                at=at,
                already_sent=already_sent and date_confirmed,
                deadline_days=int(days),
                registered_letter_number=ar_number,
                include_time_barred=include_time_barred,
                confirm_active_plan=confirm_active_plan,
            )
            st.session_state[LAST_KEY] = letter
            message = f"{letter.kind.label} générée, enregistrée dans les documents et le journal."
            if letter.deadline:
                message += f" Délai de paiement : {format_date(letter.deadline)}."
            # A confirmation (or an AR number) was given for this letter only: the next
            # one starts from an empty form.
            for key in (
                f"letter_barred_{reference}",
                f"letter_plan_{reference}",
                f"letter_sent_{reference}",
                f"letter_date_{reference}",
                f"letter_date_ok_{reference}",
            ):
                st.session_state.pop(key, None)
            st.session_state.pop(f"letter_ar_{reference}", None)
            st.session_state[DONE_KEY] = (reference, message)
            st.rerun()
    done = st.session_state.pop(DONE_KEY, None)
    if done is not None and done[0] == reference:
        st.success(done[1])
    letter = st.session_state.get(LAST_KEY)
    if letter is not None and letter.reference == reference:
        st.download_button(
            f"Télécharger {letter.filename}",
            letter.content,
            file_name=letter.filename,
            mime=DOCX,
            key=f"letter_download_{reference}",
        )
