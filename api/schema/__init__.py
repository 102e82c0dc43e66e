"""The nouns of the API: Strawberry types, inputs, enums and error types, one module per domain."""
