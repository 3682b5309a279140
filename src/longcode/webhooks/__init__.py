"""Webhooks: the events customers receive at their callback URLs, signed, retried, recorded."""
