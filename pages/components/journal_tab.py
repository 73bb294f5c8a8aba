"""The « Journal » tab of the case page: timeline, quick contact form with guardrail
override, promises, corrections and disputes. Rendering only; rules live in case_core."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pandas as pd
import streamlit as st

from case_core.journal.contacts import (
    ContactInput,
    ContactView,
    contact_state,
    correct_contact,
    journal,
    journal_authors,
    log_contact,
    resolve_dispute,
    set_written_contact_only,
)
from case_core.journal.guardrails import OverrideRequired
from case_core.journal.promises import promises_for_case
from case_core.kernel.actor import Actor
from case_core.kernel.dates import PARIS, format_date, format_instant, today_paris
from case_core.kernel.errors import CaseError
from case_core.kernel.money import format_cents
from case_core.kernel.permissions import Perm, can
from case_core.models import Channel, ContactOutcome, DisputeCategory, PersonReached
from pages.components.session import flash, reporting_errors, show_case_error

PENDING_KEY = "_journal_pending"


PROMISE_AMOUNT = "Montant (€)"
PROMISE_DATE = "Date promise"


def _when_fields(key: str, correction: bool) -> tuple[date | None, time | None]:
    """The contact's own day and time. A new contact's fields show the time the form was
    first drawn; left as shown they mean « now » (the instant of the save), so a form
    opened at 10:00 and sent at 10:20 is not stamped 10:00. A correction's are empty:
    the corrected entry's instant is kept unless another is typed."""
    c1, c2 = st.columns(2)
    if correction:
        day = c1.date_input(
            "Date du contact (vide : celle de l'entrée corrigée)",
            value=None,
            format="DD/MM/YYYY",
            key=f"{key}_day",
        )
        clock = c2.time_input(
            "Heure du contact", value=None, step=timedelta(minutes=1), key=f"{key}_time"
        )
        return day, clock
    shown_key = f"{key}_now_shown"
    if f"{key}_day" not in st.session_state or shown_key not in st.session_state:
        now = datetime.now(PARIS).replace(second=0, microsecond=0)
        st.session_state[shown_key] = (now.date(), now.time())
        st.session_state[f"{key}_day"], st.session_state[f"{key}_time"] = (now.date(), now.time())
    today = today_paris()
    day = c1.date_input("Date du contact", max_value=today, format="DD/MM/YYYY", key=f"{key}_day")
    clock = c2.time_input("Heure du contact", step=timedelta(minutes=1), key=f"{key}_time")
    if (day, clock) == st.session_state[shown_key]:
        return None, None  # untouched: the contact is now
    return day, clock


def _promise_rows(key: str) -> list[tuple[object, object]]:
    """The promised payments as a small table (amount typed the French way, date)."""
    st.markdown("Paiements promis (résultat « Promesse ») : une ligne par paiement")
    table = st.data_editor(
        pd.DataFrame(
            {
                PROMISE_AMOUNT: pd.Series([None], dtype="object"),
                PROMISE_DATE: pd.Series([None], dtype="datetime64[ns]"),
            }
        ),
        num_rows="dynamic",
        hide_index=True,
        placeholder="",  # an empty cell, not « None »
        column_config={
            PROMISE_AMOUNT: st.column_config.TextColumn(
                PROMISE_AMOUNT, help="Par exemple 150,00", max_chars=20
            ),
            PROMISE_DATE: st.column_config.DateColumn(
                PROMISE_DATE, format="DD/MM/YYYY", min_value=today_paris()
            ),
        },
        key=f"{key}_promise",
    )
    return list(zip(table[PROMISE_AMOUNT], table[PROMISE_DATE], strict=True))


def clear_contact_form(key: str) -> None:
    """After a save the form starts again empty, with a fresh « now »."""
    for name in [k for k in st.session_state if str(k).startswith(f"{key}_")]:
        del st.session_state[name]


def _contact_fields(key: str, with_attachment: bool, correction: bool = False) -> ContactInput:
    """The contact form's widgets (inside an st.form) read into a ContactInput."""
    occurred_on, occurred_time = _when_fields(key, correction)
    c1, c2, c3 = st.columns(3)
    channel = c1.selectbox(
        "Canal", list(Channel), format_func=lambda c: c.label, key=f"{key}_channel"
    )
    person = c2.selectbox(
        "Personne jointe", list(PersonReached), format_func=lambda p: p.label, key=f"{key}_person"
    )
    outcome = c3.selectbox(
        "Résultat", list(ContactOutcome), format_func=lambda o: o.label, key=f"{key}_outcome"
    )
    note = st.text_area("Note", max_chars=4000, key=f"{key}_note")
    c1, c2 = st.columns(2)
    next_action = c1.text_input("Prochaine action", max_chars=500, key=f"{key}_next")
    next_date = c2.date_input(
        "Date de la prochaine action", value=None, format="DD/MM/YYYY", key=f"{key}_next_date"
    )
    c1, c2 = st.columns(2)
    ar_number = c1.text_input("N° de recommandé AR (lettre recommandée)", key=f"{key}_ar")
    category = c2.selectbox(
        "Motif de contestation (résultat « Contestation »)",
        list(DisputeCategory),
        format_func=lambda d: d.label,
        key=f"{key}_dispute",
    )
    promised = _promise_rows(key)
    upload = (
        st.file_uploader(
            "Pièce jointe (PDF, PNG, JPEG)",
            type=["pdf", "png", "jpg", "jpeg"],
            key=f"{key}_attachment",
        )
        if with_attachment
        else None
    )
    return ContactInput.from_form(
        channel,
        outcome,
        person,
        note=note,
        registered_letter_number=ar_number,
        next_action=next_action,
        next_action_date=next_date if isinstance(next_date, date) else None,
        dispute_category=category,
        promised=promised,
        attachment=(upload.name, upload.getvalue()) if upload is not None else None,
        occurred_on=occurred_on,
        occurred_time=occurred_time,
    )


def _log(actor: Actor, reference: str, data: ContactInput, reason: str | None = None) -> None:
    try:
        log_contact(actor, reference, data, override_reason=reason)
    except OverrideRequired as exc:
        st.session_state[PENDING_KEY] = (reference, data, exc.warnings)
        st.rerun()
    except CaseError as exc:
        show_case_error(exc)
    else:
        st.session_state.pop(PENDING_KEY, None)
        clear_contact_form(f"log_{reference}")
        flash("Contact enregistré.")
        st.rerun()


def _pending_override(actor: Actor, reference: str) -> bool:
    """The confirm-with-reason form after a guardrail warned; True while it is shown."""
    pending = st.session_state.get(PENDING_KEY)
    if not pending or pending[0] != reference:
        return False
    _ref, data, warnings = pending
    for warning in warnings:
        st.warning(warning.message[:1].upper() + warning.message[1:] + ".")
    with st.form(f"override_{reference}"):
        reason = st.text_input(
            "Motif pour enregistrer malgré l'avertissement",
            max_chars=1000,
            key=f"override_reason_{reference}",
        )
        go, cancel = st.columns(2)
        confirmed = go.form_submit_button("Enregistrer quand même", type="primary")
        cancelled = cancel.form_submit_button("Annuler")
    if cancelled:
        st.session_state.pop(PENDING_KEY, None)
        st.rerun()
    if confirmed:
        if not reason.strip():
            st.error("Indiquez un motif pour passer outre l'avertissement.")
        else:
            _log(actor, reference, data, reason)
    return True


def _entry(entry: ContactView) -> None:
    title = (
        f"**{format_instant(entry.occurred_at)}** · {entry.channel.label} · "
        f"{entry.person_reached.label} · {entry.outcome.label} · {entry.author} "
        f"(n° {entry.id})"
    )
    with st.container(border=True):
        st.markdown(f"~~{title}~~" if entry.corrected else title)
        if entry.corrected:
            st.caption(f"Corrigée par l'entrée n° {entry.corrected_by_event_id}.")
        if entry.corrects_event_id:
            st.caption(f"Correction de l'entrée n° {entry.corrects_event_id}.")
        if entry.note:
            st.text(entry.note)
        details = []
        if entry.registered_letter_number:
            details.append(f"AR n° {entry.registered_letter_number}")
        if entry.next_action_date:
            details.append(
                f"Prochaine action le {format_date(entry.next_action_date)} : "
                f"{entry.next_action or ''}"
            )
        if entry.guardrail_override_reason:
            details.append(f"Avertissement outrepassé : {entry.guardrail_override_reason}")
        if entry.document_id:
            details.append(f"Document n° {entry.document_id}")
        if details:
            st.caption(" · ".join(details))


def render_journal_tab(actor: Actor, reference: str) -> None:
    state = contact_state(actor, reference)
    if state.written_contact_only:
        st.warning("Le débiteur a demandé à n'être contacté que par écrit.")
    if state.objections:
        st.warning("Opposition du débiteur (RGPD, art. 21) : " + " ; ".join(state.objections) + ".")
    for dispute in [d for d in state.disputes if d.open]:
        st.error(
            f"Contestation en cours ({dispute.category.label}) depuis le "
            f"{format_instant(dispute.raised_at)} : relances suspendues."
        )
        if can(actor, Perm.CONTACTS_LOG):
            with st.form(f"resolve_{dispute.id}"):
                note = st.text_input(
                    "Comment la contestation a-t-elle été réglée ?",
                    key=f"resolve_note_{dispute.id}",
                )
                if st.form_submit_button("Clore la contestation"):
                    with reporting_errors():
                        resolve_dispute(actor, dispute.id, note)
                        flash("Contestation close : les relances reprennent.")
                        st.rerun()

    if can(actor, Perm.CONTACTS_LOG) and not _pending_override(actor, reference):
        with st.expander("Consigner un contact", expanded=True), st.form(f"log_{reference}"):
            try:
                data = _contact_fields(f"log_{reference}", with_attachment=True)
            except CaseError as exc:
                data = None
                parse_error: CaseError | None = exc
            else:
                parse_error = None
            submitted = st.form_submit_button("Enregistrer le contact", type="primary")
        if submitted:
            if parse_error is not None:
                show_case_error(parse_error)
            elif data is not None:
                _log(actor, reference, data)

    promises = promises_for_case(actor, reference)
    if promises:
        st.markdown("**Promesses de paiement**")
        st.dataframe(
            [
                {
                    "Faite le": format_instant(p.made_at),
                    "Par": p.made_by,
                    "Paiements promis": ", ".join(
                        f"{format_cents(i.amount_cents)} le {format_date(i.due_date)}"
                        for i in p.items
                    ),
                    "Reçu depuis": format_cents(p.paid_cents),
                    "Statut": p.status.label,
                }
                for p in promises
            ],
            hide_index=True,
            width="stretch",
        )

    st.markdown("**Journal**")
    authors = journal_authors(actor, reference)
    c1, c2 = st.columns(2)
    channel = c1.selectbox(
        "Canal",
        [None, *Channel],
        format_func=lambda c: "Tous les canaux" if c is None else c.label,
        key=f"journal_channel_{reference}",
    )
    author = c2.selectbox(
        "Auteur",
        [None, *authors],
        format_func=lambda a: "Tous les auteurs" if a is None else authors[a],
        key=f"journal_author_{reference}",
    )
    entries = journal(actor, reference, channel=channel, author_id=author)
    if not entries:
        st.info("Aucun contact consigné.")
    for entry in entries:
        _entry(entry)

    if can(actor, Perm.CONTACTS_LOG):
        correctable = [e for e in entries if not e.corrected]
        if correctable:
            with st.expander("Corriger une entrée"), st.form(f"correct_{reference}"):
                target = st.selectbox(
                    "Entrée à corriger",
                    correctable,
                    format_func=lambda e: (
                        f"n° {e.id} · {format_instant(e.occurred_at)} · "
                        f"{e.channel.label} · {e.outcome.label}"
                    ),
                )
                try:
                    fixed = _contact_fields(
                        f"correct_{reference}", with_attachment=False, correction=True
                    )
                    fix_error: CaseError | None = None
                except CaseError as exc:
                    fixed, fix_error = None, exc
                if st.form_submit_button("Enregistrer la correction"):
                    if fix_error is not None:
                        show_case_error(fix_error)
                    elif fixed is not None:
                        with reporting_errors():
                            correct_contact(actor, target.id, fixed)
                            clear_contact_form(f"correct_{reference}")
                            flash("Correction enregistrée (l'entrée d'origine est conservée).")
                            st.rerun()
        with st.expander("Contact par écrit uniquement"):
            wanted = st.checkbox(
                "Le débiteur demande à n'être contacté que par écrit",
                value=state.written_contact_only,
                key=f"written_only_{reference}",
            )
            if wanted != state.written_contact_only and st.button(
                "Enregistrer la préférence", key=f"written_only_save_{reference}"
            ):
                with reporting_errors():
                    set_written_contact_only(actor, reference, wanted)
                    flash("Préférence de contact enregistrée.")
                    st.rerun()
