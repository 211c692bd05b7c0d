"""The counselling directory: typed content from `content/`, its checks and the offer search."""

from bot.content.check import check_content, content_check_report
from bot.content.loader import ContentError, load_content
from bot.content.model import Address, Content, Hotline, Municipality, Offer, Topic
from bot.content.search import emergency_hotlines, find_offers, hotlines_for, match_topics, shelters
from bot.problem import Problem

__all__ = [
    "Address",
    "Content",
    "ContentError",
    "Hotline",
    "Municipality",
    "Offer",
    "Problem",
    "Topic",
    "check_content",
    "content_check_report",
    "emergency_hotlines",
    "find_offers",
    "hotlines_for",
    "load_content",
    "match_topics",
    "shelters",
]
