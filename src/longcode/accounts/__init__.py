"""Accounts, their API credentials, and the demo account."""
