"""Pure renderers: data in, text and Block Kit out. No Slack client, no database."""
