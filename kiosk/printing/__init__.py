"""Printed documents (the case receipt, the pending notice, the technician's test page), our
own QR images, and printing a receipt in the background (``receipt_printing``)."""
