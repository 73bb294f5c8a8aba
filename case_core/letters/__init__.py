"""Reminder letters and the formal notice, from the Word templates."""
