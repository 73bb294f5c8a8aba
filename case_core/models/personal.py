"""Which columns hold personal data: the one list the audit trail reads to keep their values
out of its chained part (kernel.audit stores a keyed digest there and the value beside it,
in `audit_values`, where an anonymisation can erase it).

By table name. A name here that is not a column is a key an event adds by hand (`uow.note`):
« assignee » (a user's name where the case holds an id), « recipient » (a bailiff's or a
lawyer's name). Free text counts as personal: a note may name anyone. Codes, amounts, dates,
references made by the app and enums do not: they are what proves the event.

tests/unit/test_personal_fields.py checks that every text column of every table is either
listed here or in NOT_PERSONAL, so a new column has to be classified.
"""

from __future__ import annotations

# Identity, contact and bank data of a person or of a company that may be a sole trader
# (its name and SIREN then name a person).
PARTY_IDENTITY = frozenset(
    {
        "display_name",
        "first_name",
        "last_name",
        "company_name",
        "siren",
        "siret",
        "vat_number",
        "address_line1",
        "address_line2",
        "postcode",
        "city",
        "email",
        "email_alt",
        "phone",
        "phone_alt",
        "iban",
        "bic",
        # Who acts for a company: a person.
        "representative_name",
        "representative_role",
    }
)

PERSONAL_FIELDS: dict[str, frozenset[str]] = {
    "parties": PARTY_IDENTITY,
    "cases": frozenset({"next_action_note", "assignee", "recipient", "legal_hold_reason"}),
    "claims": frozenset({"description"}),
    "payments": frozenset({"reference", "note"}),
    "recovery_costs": frozenset({"label"}),
    "contact_events": frozenset(
        {"note", "next_action", "guardrail_override_reason", "registered_letter_number"}
    ),
    "disputes": frozenset({"resolution_note"}),
    "instalment_plans": frozenset({"accepted_by", "acceptance_note", "cancel_reason"}),
    "documents": frozenset({"filename"}),
    "users": frozenset({"email", "full_name"}),
    "external_mediators": frozenset(
        {"full_name", "organisation", "accreditation", "email", "phone", "address"}
    ),
    "mediations": frozenset({"subject"}),
    "mediation_sessions": frozenset({"place"}),
    "mediation_participants": frozenset({"name"}),
    "mediation_proposals": frozenset({"note"}),
    "mediation_agreements": frozenset({"terms", "creditor_signatory", "debtor_signatory"}),
    "privacy_requests": frozenset({"details", "answer"}),
    "referral_recipients": frozenset(
        {"name", "office", "address_line1", "address_line2", "postcode", "city", "email", "phone"}
    ),
    "referrals": frozenset({"note", "outcome_note"}),
    "template_versions": frozenset({"filename", "note"}),
}

# Every name of every table: a nested change (an import's « claims_updated », keyed by invoice
# number) is told inside another entity's event; there any of these names counts.
ANY_PERSONAL = frozenset().union(*PERSONAL_FIELDS.values())

# Keys about someone else than the debtor in a case's events (the staff member holding the
# case, the bailiff it went to): an erasure of the debtor leaves them.
NOT_ABOUT_THE_DEBTOR = frozenset({"assignee", "recipient"})

# Text columns that hold no personal value (codes, app-made references, technical data).
NOT_PERSONAL: dict[str, frozenset[str]] = {
    "app_settings": frozenset({"key", "value"}),
    "audit_events": frozenset(
        {"actor_label", "action", "entity_type", "entity_id", "changes", "prev_hash", "hash"}
        | {"key_id"}
    ),
    "audit_values": frozenset({"field", "digest", "value", "salt"}),
    "cases": frozenset({"reference", "search_text"}),
    "claims": frozenset({"invoice_number"}),
    "contact_events": frozenset(),
    "document_blobs": frozenset({"sha256"}),
    "documents": frozenset({"mime_type", "sha256"}),
    "import_mappings": frozenset({"name", "mapping"}),
    "instalment_plans": frozenset({"acceptance_channel"}),
    "mediations": frozenset({"court_name", "court_reference"}),
    "mediation_sessions": frozenset(
        # Confidential: redacted in the trail (models.mediation.CONFIDENTIAL_FIELDS).
        {"creditor_position", "debtor_position", "nonpayment_reasons", "confidential_notes"}
        | {"next_step"}
    ),
    # A keyed hash: matches an IBAN, cannot be read back.
    "parties": frozenset({"country", "iban_digest"}),
    "user_sessions": frozenset({"token_hash", "handoff_hash"}),
    "rates": frozenset({"source"}),
    "reference_counters": frozenset({"prefix"}),
    "referrals": frozenset({"recipient_reference", "route"}),
    "template_versions": frozenset({"name", "sha256"}),
    "users": frozenset({"password_hash"}),
}
