"""The kiosk's A4 document printer (certificates printed at once, 即时打印), reached through CUPS."""
