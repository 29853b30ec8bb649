"""Errors a user can act on: a message key and its parameters, told in the interface language.

Every refusal the domain makes (a move the workflow does not allow, a
duplicate village, an amendment without a reason) is a ``UserError``. The
screens and verbs show ``exc.message()``; any other exception is a bug and
goes to the app's crash handler, never through the message catalog as if its
text were a key. Storage's own failures (a locked, full or corrupt file) are
storage's ``StoreError``.
"""

from __future__ import annotations

from typing import Any


class UserError(Exception):
    """A refusal the user can fix. ``key`` names the message, ``params`` fill it."""

    def __init__(self, key: str, **params: Any) -> None:
        self.key = key
        self.params = params
        super().__init__(f"{key}: {params}" if params else key)

    def message(self, lang: str | None = None) -> str:
        """The message in ``lang`` (default: the interface language); coded values named by their labels."""
        from ..i18n import t
        from .labels import label_params

        return t(self.key, lang=lang, **label_params(self.params, lang))
