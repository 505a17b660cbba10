"""The OpenAPI 3.1 document, built from the routes of the app: each view declares its operation.

A view is marked with :func:`operation` (summary, body model, parameters, responses); request
bodies are the pydantic input models the services validate with, so the contract is written once.
Building the document fails for an API route without a declared operation.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from flask import Flask
from pydantic import BaseModel
from pydantic.json_schema import GenerateJsonSchema, JsonSchemaValue
from pydantic_core import core_schema

__all__ = [
    "ERRORS",
    "ERROR_SCHEMA",
    "IF_MATCH",
    "Operation",
    "Param",
    "build_document",
    "error",
    "json_response",
    "operation",
    "path",
    "query",
    "read",
    "ref",
    "write",
]

F = TypeVar("F", bound=Callable[..., Any])
REF_TEMPLATE = "#/components/schemas/{model}"
UNDOCUMENTED = {"api.openapi"}


def ref(name: str) -> dict[str, Any]:
    """A reference to a component schema."""
    return {"$ref": REF_TEMPLATE.format(model=name)}


def json_response(description: str, schema: dict[str, Any]) -> dict[str, Any]:
    """A response with a JSON body."""
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def error(description: str) -> dict[str, Any]:
    """An error response: the ``Error`` body."""
    return json_response(description, ref("Error"))


ERROR_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["error"],
    "properties": {
        "error": {
            "type": "object",
            "required": ["code", "message"],
            "properties": {
                "code": {"type": "string"},
                "message": {"type": "string"},
                "field": {"type": ["string", "null"]},
            },
        }
    },
}
ERRORS = {
    "401": error("Kein oder ungültiges API-Token"),
    "403": error("Rolle darf nicht schreiben"),
    "404": error("Nicht gefunden"),
    "409": error("Veraltete Version (mit current_version und changes) oder unbestätigte Terminkonflikte"),
    "422": error("Ungültige Eingabe; field nennt das Feld"),
    "428": error("If-Match fehlt"),
}


@dataclass(frozen=True)
class Param:
    """A path, query or header parameter; ``arg`` is the Flask route's name for a path parameter."""

    name: str
    location: str
    schema: dict[str, Any]
    required: bool = False
    description: str = ""
    arg: str = ""

    def to_dict(self) -> dict[str, Any]:
        """The OpenAPI parameter object."""
        out: dict[str, Any] = {"name": self.name, "in": self.location, "required": self.required}
        if self.description:
            out["description"] = self.description
        out["schema"] = self.schema
        return out


def path(name: str, kind: str = "string", *, arg: str = "") -> Param:
    """A path parameter, documented as ``{name}`` (the route may call it ``arg``)."""
    return Param(name, "path", {"type": kind}, required=True, arg=arg or name)


def query(name: str, schema: dict[str, Any] | None = None, *, required: bool = False, description: str = "") -> Param:
    """A query parameter (a string unless ``schema`` says otherwise)."""
    return Param(name, "query", schema or {"type": "string"}, required=required, description=description)


IF_MATCH = Param(
    "If-Match", "header", {"type": "string"}, required=True,
    description='Die Version des Objekts aus dem ETag, z. B. "3" (alternativ "version" im JSON-Körper).',
)  # fmt: skip


@dataclass(frozen=True)
class Operation:
    """What the document says about one route: summary, parameters, body, responses.

    ``body`` is an input model, or the name of a schema in ``schemas`` for a body that another
    layer validates; ``schemas`` also holds the response schemas the responses refer to.
    """

    summary: str
    responses: dict[str, Any]
    params: tuple[Param, ...] = ()
    body: type[BaseModel] | str | None = None
    query_model: type[BaseModel] | None = None
    bearer: bool = False
    schemas: dict[str, dict[str, Any]] = field(default_factory=dict)

    def to_dict(self, schemas: dict[str, dict[str, Any]]) -> dict[str, Any]:
        """The operation object; the schemas it refers to are added to ``schemas``."""
        out: dict[str, Any] = {"summary": self.summary}
        if self.bearer:
            out["security"] = [{"bearer": []}]
        out["parameters"] = [p.to_dict() for p in self.params]
        if self.query_model is not None:
            out["parameters"] += _query_params(self.query_model)
        if self.body is not None:
            body = ref(self.body) if isinstance(self.body, str) else _model(self.body, schemas)
            out["requestBody"] = {"required": True, "content": {"application/json": {"schema": body}}}
        out["responses"] = self.responses
        schemas.update(self.schemas)
        return out


def operation(summary: str, responses: dict[str, Any], **details: Any) -> Callable[[F], F]:
    """Declare the documented operation of the view below (put it under the ``@bp.<method>`` line)."""
    declared = Operation(summary, responses, **details)

    def mark(view: F) -> F:
        view.openapi_operation = declared  # type: ignore[attr-defined]  # functions take attributes; mypy does not know
        return view

    return mark


def write(summary: str, ok: str, *params: Param, body: type[BaseModel] | None = None) -> Callable[[F], F]:
    """A write: Bearer token, ``ok`` on success, the write errors (401, 403, 404, 409, 422, 428)."""
    return operation(summary, {ok: {"description": "OK"}, **ERRORS}, params=params, body=body, bearer=True)


def read(summary: str, *params: Param) -> Callable[[F], F]:
    """A read answering a JSON object, 404 for unknown objects and 422 for bad parameters."""
    responses = {
        "200": json_response("OK", {"type": "object"}),
        "404": error("Nicht gefunden"),
        "422": error("Ungültige Parameter"),
    }
    return operation(summary, responses, params=params)


class _Schemas(GenerateJsonSchema):
    """pydantic's JSON schema without generated titles or ``null`` defaults of fields that are not nullable."""

    def field_title_should_be_set(self, schema: Any) -> bool:
        """Titles made from field names ("Duration Minutes") add nothing to the document."""
        return False

    def default_schema(self, schema: core_schema.WithDefaultSchema) -> JsonSchemaValue:
        """A ``None`` placeholder is "not given", not a value a client could send."""
        out = super().default_schema(schema)
        if out.get("default", "") is None:
            del out["default"]
        return out


def _model(model: type[BaseModel], schemas: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """Add ``model`` (and its ``$defs``) to the component schemas; a reference to it."""
    schema = model.model_json_schema(ref_template=REF_TEMPLATE, schema_generator=_Schemas)
    schemas.update(schema.pop("$defs", {}))
    schemas[model.__name__] = schema
    return ref(model.__name__)


def _query_params(model: type[BaseModel]) -> list[dict[str, Any]]:
    """One query parameter per field of ``model``."""
    schema = model.model_json_schema(schema_generator=_Schemas)
    required = set(schema.get("required", []))
    return [
        {"name": name, "in": "query", "required": name in required, "schema": prop}
        for name, prop in schema["properties"].items()
    ]


_ARG = re.compile(r"<(?:[^:<>]+:)?([^<>]+)>")


def _doc_path(rule: str, declared: Operation) -> str:
    """``/series/<int:series_id>`` as ``/series/{id}``; every route argument must be a declared path parameter."""
    names = {p.arg: p.name for p in declared.params if p.location == "path"}

    def rename(match: re.Match[str]) -> str:
        if match.group(1) not in names:
            raise RuntimeError(f"{rule}: path parameter {match.group(1)} is not declared")
        return "{" + names[match.group(1)] + "}"

    return _ARG.sub(rename, rule)


def build_document(app: Flask) -> dict[str, Any]:
    """The OpenAPI document of every route of the ``api`` blueprint."""
    paths: dict[str, dict[str, Any]] = {}
    schemas: dict[str, dict[str, Any]] = {"Error": ERROR_SCHEMA}
    for rule in app.url_map.iter_rules():
        if not rule.endpoint.startswith("api.") or rule.endpoint in UNDOCUMENTED:
            continue
        declared: Operation | None = getattr(app.view_functions[rule.endpoint], "openapi_operation", None)
        if declared is None:
            raise RuntimeError(f"API route {rule.rule} declares no OpenAPI operation")
        item = paths.setdefault(_doc_path(rule.rule, declared), {})
        for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
            item[method.lower()] = declared.to_dict(schemas)
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "calsvc API",
            "version": "1",
            "description": "Kalender des Integrationsbüros Marzahn-Hellersdorf. "
            'Errors: {"error": {"code", "message", "field"}}.',
        },
        "paths": paths,
        "components": {"schemas": schemas, "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}}},
    }
