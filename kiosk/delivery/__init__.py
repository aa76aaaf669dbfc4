"""Delivery to the centre: the encrypted outbox, the sender, the centre client, ratings,
heartbeats, case numbers, and the ``link`` that puts them together.

Knows nothing of the resident session: it takes wire models (``contract``) and plain values.
"""
