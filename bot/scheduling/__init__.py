"""Time: one APScheduler per deployment, its jobs (reminders, scheduled broadcasts, retention)."""
