"""The pure conversation engine: flows in, turns out, no I/O."""
