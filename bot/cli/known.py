"""Names the flows may refer to, for `flows check` without starting the bot (tested against the wiring)."""

ACTION_NAMES = (
    "action_find_offers",
    "action_show_emergency",
    "action_show_emergency_details",
    "action_delete_data",
    "action_report_begin",
    "action_report_scrub",
    "action_report_summary",
    "action_report_submit",
    "action_report_add",
    "action_list_workshops",
    "action_workshop_status",
    "action_workshop_subscription",
    "action_workshop_calendar",
    "action_workshop_venue",
)
MENU_NAMES = ("languages", "topics", "municipalities", "workshops")
