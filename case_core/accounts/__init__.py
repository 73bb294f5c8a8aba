"""Accounts: sign-in, lockout, idle expiry and the administration of users."""
