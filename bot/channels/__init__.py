"""Channels: the rooms where she meets the bot. Each one turns platform updates into domain inputs
and renders domain messages; nothing else in the project knows a messaging platform."""
