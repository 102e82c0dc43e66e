"""Getting words to people: mail through the outbox (and SMTP when configured)."""
