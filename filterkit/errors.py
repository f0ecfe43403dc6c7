"""Typed errors: filterkit raises these instead of returning None."""


class FilterkitError(Exception):
    """Base class of every error filterkit raises on purpose."""


class InputError(FilterkitError):
    """The input cannot be read as a document (undecodable, unparseable, too large)."""


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
