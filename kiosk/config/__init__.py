"""Configuration: the kiosk file, its site profile and the catalogue, read once at start-up
into frozen objects (``settings``), with typed TOML reading that names file and key (``reader``)."""
