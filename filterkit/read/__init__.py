"""Any input → a `Document` of paragraphs: text is segmented (`text`), bytes decoded
(`encoding`), HTML parsed into its DOM blocks (`html`, `blocks`)."""
from .input import INPUT_FORMATS, to_document

__all__ = ["INPUT_FORMATS", "to_document"]
