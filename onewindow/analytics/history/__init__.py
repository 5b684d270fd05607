"""A year of case history, fast (issue 17): `plan` (pure), `world`, `steps`, `write`; see ../README.md."""
