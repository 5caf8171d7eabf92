"""Clerk's text grammar: command words, refs, owners and British dates.

Pure Python with no Slack import, so one parser serves slash commands, DMs, @mentions, the
console and imports.
"""
