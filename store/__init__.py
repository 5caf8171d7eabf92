"""The action log's rules and storage. Never imports slack_*."""
