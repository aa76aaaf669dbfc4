"""QR and barcode scanners: serial scanners and cameras."""
