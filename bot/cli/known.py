"""Names the flows may refer to, for `flows check` without starting the bot (tested against the wiring)."""

ACTION_NAMES = ("action_find_offers", "action_show_emergency", "action_delete_data")
MENU_NAMES = ("languages", "topics", "municipalities")
