"""The kiosk's devices: building them from the configured URLs (``build``) and the developer
panel's controls over simulated ones (``developer``)."""
