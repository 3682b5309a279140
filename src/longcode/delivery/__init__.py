"""Delivery: the queue over message rows, the worker, and the carriers messages leave by."""
