"""The durable outbox: announcements become one row per recipient, drained within the channel's limits."""
