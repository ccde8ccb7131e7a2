"""A demo center's past: simulated days of tickets and sample files, made through the real layers.

It sits above the use cases (it opens a whole context, as the server's app does), so the use-case
layer never reaches up to the app to seed itself.
"""
