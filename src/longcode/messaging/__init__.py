"""Messaging: sending SMS and MMS, message detail records, messaging callback URLs."""
