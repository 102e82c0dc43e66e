"""Validation rules that reject a document before any resolver or SQL statement runs.

The rule classes are built once per schema, never per request: graphql-core's validation
cache keys on the rule classes, and a fresh class per request would never hit it
(strawberry issue #4635).
"""

from __future__ import annotations

from graphql import ASTValidationRule, NoSchemaIntrospectionCustomRule
from strawberry.extensions import MaxAliasesLimiter, QueryDepthLimiter

from api.settings import Settings


def validation_rules(settings: Settings) -> tuple[type[ASTValidationRule], ...]:
    rules: list[type[ASTValidationRule]] = [
        *QueryDepthLimiter(max_depth=settings.max_query_depth).validation_rules,
        *MaxAliasesLimiter(max_alias_count=settings.max_aliases).validation_rules,
    ]
    if settings.is_production:
        rules.append(NoSchemaIntrospectionCustomRule)
    return tuple(rules)
