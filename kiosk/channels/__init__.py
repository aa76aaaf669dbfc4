"""How the kiosk serves items that are not plain intake: counter slots and instant prints."""
