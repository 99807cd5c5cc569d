"""Domain errors with a code, a message in Chinese and English, the offending field and an HTTP status."""

from __future__ import annotations


class MinyiError(Exception):
    """A refusal the user can understand; the API turns it into a structured JSON body."""

    status = 400
    code = "bad_request"
    headers: dict[str, str] | None = None  # extra response headers, e.g. Retry-After

    def __init__(
        self, message_zh: str, message_en: str, *, field: str | None = None, code: str | None = None
    ):
        super().__init__(message_en)
        self.message_zh = message_zh
        self.message_en = message_en
        self.field = field
        if code:
            self.code = code

    def body(self) -> dict[str, object]:
        """The JSON error body."""
        return {
            "error": {
                "code": self.code,
                "message": self.message_zh,
                "message_en": self.message_en,
                "field": self.field,
            }
        }


class InvalidInput(MinyiError):
    status = 422
    code = "invalid"


class NotFound(MinyiError):
    status = 404
    code = "not_found"

    def __init__(self, what_zh: str = "案件", what_en: str = "case"):
        super().__init__(f"{what_zh}不存在", f"{what_en} not found")


class Conflict(MinyiError):
    status = 409
    code = "conflict"


class InvalidTransition(Conflict):
    code = "invalid_transition"


class NotPermitted(InvalidTransition):
    """The case is visible, but this role (or this department) may not take this action."""

    status = 403
    code = "forbidden"


class TooLarge(MinyiError):
    status = 413
    code = "too_large"


class NotAuthenticated(MinyiError):
    status = 401
    code = "not_authenticated"

    def __init__(self) -> None:
        super().__init__("请先登录", "authentication required")


class Forbidden(MinyiError):
    status = 403
    code = "forbidden"


class RateLimited(MinyiError):
    """Too many requests from one participant, address or client in a window."""

    status = 429
    code = "rate_limited"


class Busy(MinyiError):
    status = 503
    code = "busy"

    def __init__(self) -> None:
        super().__init__("系统繁忙，请稍后重试", "the service is busy; try again shortly")
