"""The host around the engine: load the session, run the engine and its actions, store, reply."""
