"""Anonymous housing-discrimination reports: categories, scrubbing, receipt codes, limits, statistics, export.

Nothing in this package knows who reported: no chat id, name or exact time ever reaches it.
"""
