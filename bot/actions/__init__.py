"""rasa_sdk actions: the same classes run in-process and behind Rasa's action-server protocol."""
