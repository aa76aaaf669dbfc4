"""Textures drawn pixel for pixel, sampled without filtering.

A label's text is a texture drawn at its own size on a whole pixel (Kivy's Label rule rounds
its position), and Kivy draws plain shapes with a blank one-colour texture: filtering between
texels changes nothing on screen there, yet Mesa's software renderer fetches four texels a
pixel for it (about 7 ms of the choose screen's frame, ``bench resident``). Nearest sampling
draws the same pixels for less. ``widgets.kv`` applies it to every label's texture.
"""

from __future__ import annotations

from kivy.graphics.texture import Texture


def sample_exactly(texture: Texture | None) -> None:
    """Sample ``texture`` at the nearest texel (for one drawn at its own size)."""
    if texture is not None:
        texture.mag_filter = "nearest"
        texture.min_filter = "nearest"


def sample_blank_texture_exactly() -> None:
    """The same for the blank texture Kivy draws untextured shapes with (call once a window exists)."""
    from kivy.graphics import Rectangle

    sample_exactly(Rectangle().texture)
