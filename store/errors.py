"""The store refuses with the same exception the grammar does, so callers catch one kind."""
from store.terms import Refusal

__all__ = ["Refusal"]
