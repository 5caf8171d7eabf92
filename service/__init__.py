"""The conversation: one line of text from a person in, a reply (and the board's posts) out.

Shared by slash commands, DMs, @mentions and the console. No Slack client here: posts to
channels are written to the outbox in the same transaction as the change.
"""
