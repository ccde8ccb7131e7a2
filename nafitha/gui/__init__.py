"""Kivy pieces shared by the kiosk and the counter: fonts, bidi label, buttons, theme, screenshots.

Importing this package does not import Kivy; each module imports it where it is needed, so code that
only reads the theme (or a test of the wrapping) stays light.
"""
