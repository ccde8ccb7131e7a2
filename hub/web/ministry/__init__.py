"""The ministry's dashboard page at the hub (``/ministry``): template, script and styles."""
