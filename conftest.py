"""Settings the tests share: DEBUG on for a predictable environment, fast password hashing."""

import os

os.environ.setdefault("DEBUG", "1")
