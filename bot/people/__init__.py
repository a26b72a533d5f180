"""People and how they join: invitation codes (made unguessable, stored hashed, used
once) and whether a Telegram name is a real person's full name."""
