"""Validation rules that reject a document before any resolver or SQL statement runs.

The rule classes are built once per schema, never per request: graphql-core's validation
cache keys on the rule classes, and a fresh class per request would never hit it
(strawberry issue #4635).
"""

from __future__ import annotations

from typing import Any

from graphql import (
    ASTValidationRule,
    FieldNode,
    GraphQLError,
    NoSchemaIntrospectionCustomRule,
    ValidationContext,
    ValidationRule,
)
from strawberry.extensions import MaxAliasesLimiter, QueryDepthLimiter

from api.settings import Settings

# Fields that check a credential: one per document, so aliases cannot batch guesses.
CREDENTIAL_FIELDS = frozenset({"signIn", "verifySecondFactor"})


class OneCredentialCheckPerDocument(ValidationRule):
    def __init__(self, context: ValidationContext) -> None:
        super().__init__(context)
        self.seen = 0

    def enter_field(self, node: FieldNode, *_: Any) -> None:
        if node.name.value not in CREDENTIAL_FIELDS:
            return
        self.seen += 1
        if self.seen == 2:
            self.report_error(
                GraphQLError("Send one signIn or verifySecondFactor per request.", node)
            )


def validation_rules(settings: Settings) -> tuple[type[ASTValidationRule], ...]:
    rules: list[type[ASTValidationRule]] = [
        *QueryDepthLimiter(max_depth=settings.max_query_depth).validation_rules,
        *MaxAliasesLimiter(max_alias_count=settings.max_aliases).validation_rules,
        OneCredentialCheckPerDocument,
    ]
    if settings.is_production:
        rules.append(NoSchemaIntrospectionCustomRule)
    return tuple(rules)
