"""The CaseError family: domain errors whose message a page shows as is (in French)."""

from __future__ import annotations


class CaseError(Exception):
    """A domain error carrying a message meant for the user, in French."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class ValidationError(CaseError):
    """Input that breaks a rule; `errors` maps a field name to its message."""

    def __init__(self, errors: dict[str, str] | str) -> None:
        if isinstance(errors, str):
            errors = {"": errors}
        self.errors = errors
        super().__init__(" ; ".join(errors.values()))


class PermissionDenied(CaseError):
    """The actor's role does not allow the action."""


class NotFound(CaseError):
    """The entity does not exist (or is not visible to the actor)."""


class StaleVersion(CaseError):
    """Someone else saved the entity since the actor loaded it."""


class AuthError(CaseError):
    """Sign-in refused; the message never tells whether the email exists."""
