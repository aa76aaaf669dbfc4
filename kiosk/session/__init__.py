"""The resident session: the state machine (``session``), who the resident is (``identity``,
``identification``, ``scanned_codes``), what the kiosk can offer now (``availability``) and how
personal data is masked (``privacy``). No Kivy, no network."""
