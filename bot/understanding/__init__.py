"""What she typed, understood: danger first, then her need. Pure at answer time (model loaded at start)."""
