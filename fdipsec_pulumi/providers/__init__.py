"""Dynamic-provider implementations. Classes here are pickled into state by reference: never move them."""
