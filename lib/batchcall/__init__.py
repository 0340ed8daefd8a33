"""Batch Call Workbench: read a contact list, predict the platform's verdict, fix, submit, follow.

The same library serves the Streamlit app, notebooks and scripts::

    import batchcall

    contacts = batchcall.read_contacts("contacts.xlsx")
    with batchcall.BatchCallClient.from_env() as client:
        route = client.list_phone_numbers()[0]
        report = batchcall.validate(contacts, route, client.get_telephony_config())
        print(report.to_tuples())

Only the names in ``__all__`` are the public face; the rooms below it
(``contacts``, ``phones``, ``rules``, ``checks``, ``work``, ``insight``, ``charts``,
``api``, ``sandbox``, ``ui``) are importable for the curious, but may change.
"""

from batchcall.api.client import BatchCallClient
from batchcall.api.errors import (
    ApiConnectionError,
    ApiError,
    ApiKeyError,
    ApiResponseError,
    ApiStatusError,
    ApiTimeoutError,
    AuthenticationError,
    BadRequestError,
    BatchValidationError,
    ConflictError,
    NotFoundError,
    NotSupportedError,
    PayloadTooLargeError,
    PermissionDeniedError,
    RateLimitError,
    ServerError,
    UnprocessableError,
)
from batchcall.checks import (
    CallingWindow,
    Disposition,
    PrecheckReport,
    RouteSwitchEffect,
    international_prefix_fix,
    load_dnc,
    plan_waves,
    precheck,
    resolve_duplicates,
    route_switch_effect,
)
from batchcall.contacts import (
    LARGE_FILE_CEILING,
    MAX_FILE_BYTES,
    ContactFileError,
    EmptyFileError,
    FileTooLargeError,
    MissingPhoneColumnError,
    SheetNotFoundError,
    UnreadableFileError,
    UnsupportedFileTypeError,
    list_sheets,
    read_contacts,
)
from batchcall.insight.outcomes import outcomes_by
from batchcall.insight.results import call_results
from batchcall.rules import Reason, ValidationReport, validate
from batchcall.work.recipe import Recipe, RecipeError, apply_recipe
from batchcall.work.table import WorkTable

__all__ = [
    "LARGE_FILE_CEILING",
    "MAX_FILE_BYTES",
    "ApiConnectionError",
    "ApiError",
    "ApiKeyError",
    "ApiResponseError",
    "ApiStatusError",
    "ApiTimeoutError",
    "AuthenticationError",
    "BadRequestError",
    "BatchCallClient",
    "BatchValidationError",
    "CallingWindow",
    "ConflictError",
    "ContactFileError",
    "Disposition",
    "EmptyFileError",
    "FileTooLargeError",
    "MissingPhoneColumnError",
    "NotFoundError",
    "NotSupportedError",
    "PayloadTooLargeError",
    "PermissionDeniedError",
    "PrecheckReport",
    "RateLimitError",
    "Reason",
    "Recipe",
    "RecipeError",
    "RouteSwitchEffect",
    "ServerError",
    "SheetNotFoundError",
    "UnprocessableError",
    "UnreadableFileError",
    "UnsupportedFileTypeError",
    "ValidationReport",
    "WorkTable",
    "apply_recipe",
    "call_results",
    "international_prefix_fix",
    "list_sheets",
    "load_dnc",
    "outcomes_by",
    "plan_waves",
    "precheck",
    "read_contacts",
    "resolve_duplicates",
    "route_switch_effect",
    "validate",
]
