"""Ma journée: the collector's cases needing action today, most urgent first."""

from __future__ import annotations

import streamlit as st

from case_core.kernel.dates import format_date, format_instant
from case_core.kernel.money import format_cents
from case_core.kernel.permissions import Perm, can
from case_core.worklists.my_day import collectors, my_day
from pages.components.session import current_actor, reporting_errors, show_flash

PAGE_KEY = "my_day_page"
PAGE_SIZE = 50

actor = current_actor()
st.title("Ma journée")
show_flash()

collector_id = actor.id
if can(actor, Perm.CASES_ASSIGN):
    team = collectors(actor)
    ids = [actor.id, *[i for i in team if i != actor.id]]
    names = {**team, actor.id: f"{actor.full_name} (moi)"}
    collector_id = st.selectbox(
        "Journée de", ids, format_func=lambda i: names.get(i, str(i)), key="my_day_collector"
    )

page_number = int(st.session_state.get(PAGE_KEY, 1))
result = None
with reporting_errors():
    result = my_day(actor, collector_id=collector_id, page=page_number, page_size=PAGE_SIZE)
if result is None:
    st.stop()

if result.total == 0:
    st.success("Rien à traiter aujourd'hui.")
    st.stop()

st.caption(
    f"{result.total} dossier(s) à traiter — page {result.page} sur {result.pages}. "
    "Cochez la case en tête d'une ligne pour ouvrir le dossier ; consigner un contact le "
    "retire de la liste."
)
table = [
    {
        "Dossier": r.reference,
        "Débiteur": r.debtor_name,
        "Motifs": ", ".join(reason.label for reason in r.reasons),
        "Contact": r.contact.label,
        "Solde hors intérêts": format_cents(r.balance_cents),
        "Prochaine action": (
            f"{format_date(r.next_action_date)} {r.next_action_note or ''}".strip()
        ),
        "Fin du délai MED": format_date(r.formal_notice_deadline),
        "Prescription": format_date(r.limitation_date),
        "Dernier contact": format_instant(r.last_contact_at),
    }
    for r in result.rows
]
selection = st.dataframe(
    table,
    hide_index=True,
    width="stretch",
    on_select="rerun",
    selection_mode="single-row",
    height="content",
    key="my_day_table",
    # No link column: a link opens a new tab, that is a new session, signed out.
    column_config={"Solde hors intérêts": st.column_config.TextColumn(alignment="right")},
)
chosen = selection.selection.rows if selection else []
if chosen:
    reference = result.rows[chosen[0]].reference
    st.session_state["case_ref"] = reference
    st.switch_page("pages/case.py", query_params={"case": reference})

previous, _middle, following = st.columns([1, 4, 1])
if result.page > 1 and previous.button("Page précédente", key="my_day_prev"):
    st.session_state[PAGE_KEY] = result.page - 1
    st.rerun()
if result.page < result.pages and following.button("Page suivante", key="my_day_next"):
    st.session_state[PAGE_KEY] = result.page + 1
    st.rerun()
