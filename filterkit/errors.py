"""Typed errors: filterkit raises these instead of returning None."""


class FilterkitError(Exception):
    """Base class of every error filterkit raises on purpose."""


class InputError(FilterkitError):
    """The input cannot be read as a document (undecodable, unparseable, too large)."""


class InputTooLargeError(InputError):
    """The input is over one of the limits of `filterkit.limits.Limits`.

    `limit` names the limit (a field of `Limits`) and `maximum` is its value. `outcome`
    says what became of the input: by default it is refused whole, never cut short;
    raising the limit lets it through.
    """

    def __init__(self, limit: str, maximum: int | float, found: str,
                 outcome: str = "the input is refused rather than cut short"):
        self.limit = limit
        self.maximum = maximum
        self.found = found
        self.outcome = outcome
        shown = f"{maximum:,}" if isinstance(maximum, int) else f"{maximum:g}"
        super().__init__(
            f"{found}, over the limit {limit}={shown}; {outcome}. If such inputs are "
            f"expected, raise the limit: Filter(limits=filterkit.limits.Limits({limit}=...)), "
            f"or --limit {limit}=... on the command line"
        )

    def __reduce__(self):
        # Worker processes send errors back pickled; the default would call __init__
        # with the message alone.
        return type(self), (self.limit, self.maximum, self.found, self.outcome)


class ModelError(FilterkitError):
    """A model file cannot be used; the message says what to do."""


class ModelNotFoundError(ModelError):
    pass


class ModelIntegrityError(ModelError):
    """The model file does not match the SHA-256 its model card records."""


class ModelVersionError(ModelError):
    """The model was trained with library or feature versions this install cannot use."""


class UntrustedModelError(ModelError):
    """A model file from outside the package that the caller has not said to trust."""
