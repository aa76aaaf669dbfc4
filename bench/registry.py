"""The benchmark modules ``python -m bench`` runs, in order. Each defines ``main()``."""

MODULES: list[str] = ["ui", "qr", "idcard", "idcard_fuzz", "printer", "certificate", "outbox", "centre_load",
                     "slow_clients", "pg_restart", "fleet_console", "pinyin_dictionary", "pinyin_keyboard",
                     "appointments", "catalog_refresh", "catalog_search", "choose_screen", "taps_to_submit",
                     "resident", "power_cut", "soak", "voice", "document_capture", "face_check"]
