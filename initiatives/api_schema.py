"""The API's error answers, written into the OpenAPI schema so it tells the whole truth.

drf-spectacular documents the success of each operation; the errors every operation
can answer come from the shared rules (initiatives/api_base.py, api_errors.py, DRF's
authentication, pagination and throttling), so this postprocessing hook adds them once:

- 400 bad input: field messages (`{"field": ["..."]}`, `non_field_errors`, or for the
  bulk imports `{"detail": "...", "rows": [...]}`), for operations that take input;
- 403 not signed in, a wrong token or a deactivated user's token (session
  authentication comes first, so DRF answers 403 rather than 401), or a reader who writes;
- 404 an object outside what the caller may see (outsiders never learn it exists),
  an initiative named in the query that they may not see, or a page past the end;
- 415 a body in a media type the operation does not read (or a broken multipart body);
- 429 too many requests (API throttling, config/settings.py).
"""

ERROR = {
    "type": "object",
    "properties": {"detail": {"type": "string"}},
    "required": ["detail"],
}
FIELD_ERRORS = {
    "type": "object",
    "description": "Field name (or non_field_errors) to messages; bulk imports add `rows`.",
    "additionalProperties": True,
}
DESCRIPTIONS = {
    "400": "Invalid input: messages per field; nothing was written.",
    "403": "Not signed in (or a wrong or deactivated token), or not allowed to do this.",
    "404": "No such object among those you may see (or a page past the end).",
    "415": "The body's media type is not one this operation reads (JSON, form, multipart).",
    "429": "Too many requests: slow down (see the Retry-After header).",
}
# Deleting can break a domain rule too (a question of a survey that is already open).
WRITES = {"post", "put", "patch", "delete"}
# Fields a response leaves empty on purpose, that the serializer can't say so for:
# a shared lesson's initiative is null for readers who may not see that initiative
# (learning.api.LessonSerializer.to_representation). Requests still need a value.
NULL_IN_RESPONSES = {"Lesson": ["initiative"]}


def _response(code: str, ref: str) -> dict:
    return {
        "description": DESCRIPTIONS[code],
        "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{ref}"}}},
    }


def add_error_responses(result, generator, request, public):
    """POSTPROCESSING_HOOK: document the errors every API operation may answer."""
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    schemas.setdefault("Error", ERROR)
    schemas.setdefault("FieldErrors", FIELD_ERRORS)
    for component, fields in NULL_IN_RESPONSES.items():
        properties = schemas.get(component, {}).get("properties", {})
        for name in fields:
            if name in properties:
                properties[name]["nullable"] = True
    for path, operations in result.get("paths", {}).items():
        if not path.startswith("/api/") or path.startswith("/api/schema"):
            continue
        for method, operation in operations.items():
            if method not in {"get", "post", "put", "patch", "delete"}:
                continue
            responses = operation.setdefault("responses", {})
            params = operation.get("parameters", [])
            in_path = any(p.get("in") == "path" for p in params)
            in_query = any(p.get("in") == "query" for p in params)
            if method in WRITES or in_query:
                responses.setdefault("400", _response("400", "FieldErrors"))
            responses.setdefault("403", _response("403", "Error"))
            if in_path or in_query:  # an object, a page or an initiative you may not see
                responses.setdefault("404", _response("404", "Error"))
            if "requestBody" in operation:
                responses.setdefault("415", _response("415", "Error"))
            responses.setdefault("429", _response("429", "Error"))
    return result
