"""Checking one endpoint for every kind of user against a single world.

Building the world (organisations, users, projects …) is the slow part of a permission test, so a
test builds it once per endpoint and checks each user kind in a savepoint that is rolled back: a
write by one user never shows in the next user's check.

    checks = Matrix(client, world.users, f"project page (GET {url})")
    for who, status in expected.items():
        with checks.as_user(who):           # `client` is logged in as `who` (a None user: anonymous)
            response = client.get(url)
            assert response.status_code == status
    checks.verify()                         # fails naming every user kind that did not pass

A failed `assert` inside the block is recorded with the endpoint and the user kind, and the next user
kind is still checked; any other exception names them too and ends the test at once.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from http.cookies import SimpleCookie
from typing import Any

import pytest
from django.db import transaction
from django.test import Client


class Matrix:
    def __init__(self, client: Client, users: Mapping[str, Any], endpoint: str) -> None:
        self.client = client
        self.users = users
        self.endpoint = endpoint
        self.checked: list[str] = []
        self.failures: list[str] = []

    @contextmanager
    def as_user(self, who: str) -> Iterator[Client]:
        """`who` logged in (or anonymous) inside a savepoint that is always rolled back."""
        user = self.users[who]
        self.client.cookies = SimpleCookie()
        with transaction.atomic():
            try:
                if user is not None:
                    self.client.force_login(user)
                yield self.client
            except AssertionError as error:
                self.failures.append(f"{self.endpoint} as {who}: {error}")
            except Exception as error:
                error.add_note(f"while checking {self.endpoint} as {who}")
                raise
            finally:
                transaction.set_rollback(True)  # the session of the login goes too
                self.client.cookies = SimpleCookie()  # logged out, no messages or CSRF cookie left
        self.checked.append(who)

    def verify(self) -> None:
        assert self.checked, f"{self.endpoint}: no user kind was checked"
        if self.failures:
            pytest.fail(
                f"{self.endpoint}: {len(self.failures)} of {len(self.checked)} user kinds failed\n\n"
                + "\n\n".join(self.failures),
                pytrace=False,
            )
