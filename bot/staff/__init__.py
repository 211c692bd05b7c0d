"""Staff tools inside the chat: the broadcast desk (no platform library here)."""
