"""Printed documents other than the case receipt: the technician's test page and the
notice for a case still waiting to be sent. The case receipt is ``kiosk.receipt``."""

from kiosk.receipts.pending_notice import build_pending_notice
from kiosk.receipts.test_page import build_test_page

__all__ = ["build_pending_notice", "build_test_page"]
