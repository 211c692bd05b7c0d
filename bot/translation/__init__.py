"""The translators' tools: extract, merge and check PO files, machine drafts, review sheets, diagrams.

Nothing on the answering path imports this package; the runtime half (catalog, languages, detection,
status) is `bot.i18n`, which imports nothing from here.
"""
