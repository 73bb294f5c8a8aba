"""casedesk core: everything that is not UI (models, services, rules, rendering)."""
