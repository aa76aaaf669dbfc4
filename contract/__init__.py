"""What kiosk and centre agree on, and nothing else: the vocabulary, the wire models with
the API prefix, and the signed-code (``ZWQR1.``) format with its verification.

Depends on pydantic and cryptography only; imports nothing of ``kiosk``, ``central``,
``drivers`` or ``screens`` (import-linter checks it).
"""
