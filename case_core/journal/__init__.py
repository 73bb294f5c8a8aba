"""The debtor communication log: contacts, promises, disputes, guardrails."""
