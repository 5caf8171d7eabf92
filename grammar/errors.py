class Refusal(Exception):
    """A command that cannot be done as asked: the message says why and, with usage, the right form.

    Raised inside a unit of work, it rolls the whole change back."""

    def __init__(self, message: str, usage: str | None = None):
        super().__init__(message)
        self.message = message
        self.usage = usage

    def __str__(self) -> str:
        return f"{self.message}\nUsage: {self.usage}" if self.usage else self.message
