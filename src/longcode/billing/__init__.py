"""Billing: what each message costs (integer nanodollars)."""
