"""The service's own exceptions, each with a user-facing (Dutch) message and an HTTP status."""

class ServiceError(Exception):
    """Base of every error the service answers with a clear message."""

    status = 400
    message = "Het verzoek kon niet worden verwerkt."

    def __init__(self, message: str | None = None, errors: dict[str, list[str]] | None = None):
        super().__init__(message or self.message)
        self.message = message or self.message
        self.errors = errors or {}

    def extra(self) -> dict:
        """Return members the JSON answer carries besides error and errors."""
        return {}

    def headers(self) -> dict:
        """Return HTTP headers the answer carries."""
        return {}


class InvalidInput(ServiceError):
    """Submitted data is wrong; errors names each field."""

    status = 422
    message = "De invoer is niet geldig."


class BadRequest(ServiceError):
    """The request itself is malformed (no JSON object, wrong content type)."""

    status = 400
    message = "Het verzoek is niet goed gevormd."


class Unauthenticated(ServiceError):
    status = 401
    message = "Log in om verder te gaan."


class Forbidden(ServiceError):
    status = 403
    message = "U heeft geen toegang tot deze gegevens of handeling."


class TooManyAttempts(ServiceError):
    """Logins for this username or from this address are refused for a while after too many failures."""

    status = 429

    def __init__(self, retry_after_seconds: int):
        minutes = max(1, -(-retry_after_seconds // 60))
        super().__init__(f"Te veel mislukte inlogpogingen. Probeer het over {minutes} "
                         f"{'minuut' if minutes == 1 else 'minuten'} opnieuw.")
        self.retry_after_seconds = retry_after_seconds

    def headers(self) -> dict:
        return {"Retry-After": str(self.retry_after_seconds)}


class NotFound(ServiceError):
    status = 404
    message = "Niet gevonden."


class Conflict(ServiceError):
    """The state changed under the request (task done, concurrent change)."""

    status = 409
    message = "De toestand is intussen gewijzigd."


class TaskNotOpen(Conflict):
    message = "Deze taak is niet meer open."


class ConcurrentChange(Conflict):
    message = "De klacht is tegelijk door iemand anders gewijzigd; laad opnieuw en probeer het nog eens."


class ProcessFailure(ServiceError):
    """A step of the diagram failed (script, condition, timer expression); nothing was changed."""

    status = 500
    message = "Een processtap kon niet worden uitgevoerd; er is niets gewijzigd."


class DeployRejected(ServiceError):
    """A diagram did not pass validation; problems lists each (validation_messages.Problem) with its element."""

    status = 422
    message = "Het diagram is niet geldig en is niet in gebruik genomen."

    def __init__(self, problems: list, message: str | None = None):
        super().__init__(message or self.message, {"bpmn": [problem.dutch() for problem in problems]})
        self.problems = list(problems)

    def extra(self) -> dict:
        return {"problems": [problem.as_dict() for problem in self.problems]}


class TooManySubmissions(ServiceError):
    """The public complaint form was used too often from one client address (public/filing.py)."""

    status = 429

    def __init__(self, retry_after_seconds: int):
        minutes = max(1, -(-retry_after_seconds // 60))
        super().__init__("Er zijn vanaf dit adres te veel klachten ingediend. Probeer het over "
                         f"{minutes} {'minuut' if minutes == 1 else 'minuten'} opnieuw, of neem telefonisch "
                         "contact op met de praktijk.")
        self.retry_after_seconds = retry_after_seconds

    def headers(self) -> dict:
        return {"Retry-After": str(self.retry_after_seconds)}
