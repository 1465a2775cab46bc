"""Browser mode: ``workbook serve REVIEW`` serves the TUI to a browser through textual-serve.

``server.py`` is the web server (loopback by default, an access token off it, no request leaving the
machine); ``session.py`` is the process each browser tab runs (the TUI on Textual's web driver).
"""
