"""A private Xvfb display for GUI tests: the tests' name for :mod:`nafitha.harness.xvfb`."""

from nafitha.harness.xvfb import xvfb_display

__all__ = ["xvfb_display"]
