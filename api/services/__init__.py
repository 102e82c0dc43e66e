"""Business rules, one module per domain; nothing here imports Strawberry."""
