"""Pinyin input for the on-screen keyboard: letters to Chinese candidates, no Kivy."""
