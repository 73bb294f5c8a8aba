"""The access export: a ZIP with the JSON of everything held and a French summary."""

from __future__ import annotations

import io
import json
import zipfile
from dataclasses import dataclass

from case_core.kernel import audit
from case_core.kernel.actor import Actor
from case_core.kernel.dates import today_paris
from case_core.kernel.permissions import Perm, require
from case_core.kernel.unit_of_work import change
from case_core.privacy.access import collect_party_data
from case_core.privacy.summary import MEDIATION_NOTICE, render_summary

JSON_NAME = "donnees.json"
SUMMARY_NAME = "synthese.docx"


@dataclass(frozen=True)
class AccessExport:
    filename: str
    content: bytes
    counts: dict[str, int]


def export_party(actor: Actor, party_id: int) -> AccessExport:
    """Build the export and record in the audit trail that it was made (and by whom)."""
    require(actor, Perm.USERS_MANAGE)
    # Read inside the recording transaction: the export and its trace tell the same state.
    with change(actor, Perm.USERS_MANAGE, "privacy.export") as uow:
        data = collect_party_data(uow.session, party_id)
        counts = {k: len(v) for k, v in data.items() if isinstance(v, list)}
        uow.event(
            audit.PendingEvent(
                "privacy.export", "party", party_id, {"export": {"before": None, "after": counts}}
            )
        )
    today = today_paris()
    payload = {
        "genere_le": today.isoformat(),
        "mediation": MEDIATION_NOTICE,
        **data,
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(JSON_NAME, json.dumps(payload, ensure_ascii=False, indent=2, default=str))
        archive.writestr(SUMMARY_NAME, render_summary(data, today))
    return AccessExport(
        f"donnees-personne-{party_id}-{today.isoformat()}.zip", buffer.getvalue(), counts
    )
