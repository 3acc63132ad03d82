"""Domain errors raised by services; views, GraphQL and the CLI map them."""


class DomainError(Exception):
    code = "BAD_USER_INPUT"

    def __init__(self, message: str = ""):
        super().__init__(message)
        self.message = message


class NotFound(DomainError):
    code = "NOT_FOUND"


class Forbidden(DomainError):
    code = "FORBIDDEN"


class Unauthenticated(DomainError):
    code = "UNAUTHENTICATED"


class Conflict(DomainError):
    """The object changed meanwhile (stale review action, duplicate submission)."""

    code = "CONFLICT"


class Invalid(DomainError):
    """Bad input; ``field`` names what was wrong (a form field or a path in a file)."""

    def __init__(self, field: str, message: str):
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message
