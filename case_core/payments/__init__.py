"""Payments: booking and reversing them."""
