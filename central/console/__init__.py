"""The centre's web console under ``/console/``: server-rendered pages for technicians,
clerks and supervisors, with the same staff tokens and roles as the API (``central.auth``).

- ``staff_sessions``: a login turns a staff token into a signed session cookie (the token's
  SHA-256, never the token) and a CSRF token for the session's forms.
- ``login_throttle``: failed logins per client address are limited.
- ``access``: who is asking (``ConsoleUser``), the role a page needs, the CSRF check.
- ``rendering``: the Jinja2 templates, the navigation a role sees, ``render``.
- ``routes_login``: login, logout and the home page.
- ``mount``: ``install_console(app)`` adds the pages, static files and security headers.
- Pages per section, each a router of its own: fleet (technicians), cases (clerks), ratings
  and statistics (supervisors).
"""
