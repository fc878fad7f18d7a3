# The browser fixtures live in tests/browsers.py (a plugin of the whole suite, so one
# Chromium serves every test); `sign_in` stays importable from here.
from tests.browsers import sign_in  # noqa: F401
