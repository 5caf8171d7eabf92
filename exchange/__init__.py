"""Action logs in and out of Clerk: the spreadsheets boards keep (csv, xlsx) and Clerk's exports.

`exchange.actions` reads and writes the log (no printing, no Slack); `exchange.cli` is
`python bot.py import actions …` and `python bot.py export actions …`.
"""
