"""Santé (administrators): database, migrations, counts, last backup, audit chain and its
last anchor, rates missing up to today."""

from __future__ import annotations

import streamlit as st

from case_core.kernel.dates import format_instant
from case_core.privacy.health import health
from pages.components.session import current_actor, reporting_errors

actor = current_actor()
st.title("Santé")
with reporting_errors():
    report = health(actor)
    if report.ok:
        st.success("Tout est en ordre.")
    else:
        st.warning("Un ou plusieurs points demandent votre attention.")
    for check in report.checks:
        # A warning, not an error box: the page works, the item needs attention.
        (st.write if check.ok else st.warning)(
            f"{'✅' if check.ok else '❌'} **{check.label}** : {check.detail}"
        )
    if report.missing_rates:
        st.write("Taux manquants : " + ", ".join(report.missing_rates) + " (page « Taux »).")

    st.subheader("Sauvegarde et ancre")
    if report.last_backup:
        b = report.last_backup
        st.write(
            f"Dernière sauvegarde : {format_instant(b.at)} par {b.by} — "
            f"{b.details.get('fichier', '')} ({b.details.get('octets', '?')} octets)."
        )
    else:
        st.write(
            "Dernière sauvegarde : aucune enregistrée. Lancez `casedesk backup FICHIER` "
            "(SQLite) ou `pg_dump` (PostgreSQL, non enregistré ici)."
        )
    if report.last_anchor:
        a = report.last_anchor
        st.write(
            f"Dernière ancre du journal d'audit : {format_instant(a.at)} — "
            f"`{a.details.get('ancre', '')}`."
        )
    else:
        st.write("Dernière ancre du journal d'audit : aucune (`casedesk audit anchor`).")

    if report.counts:
        st.subheader("Volumes")
        st.dataframe(
            [{"Élément": k, "Nombre": v} for k, v in report.counts.items()],
            hide_index=True,
        )
