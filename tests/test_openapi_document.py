"""The OpenAPI document is built from the routes and the input models the services validate with."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask

from calsvc.api.openapi import REF_TEMPLATE, build_document
from calsvc.conflicts.proposals import ProposalInput
from calsvc.editing import schemas


def test_request_bodies_are_the_input_models(app: Flask, client: Any) -> None:
    document = client.get("/api/v1/openapi.json").get_json()
    components = document["components"]["schemas"]
    bodies = {
        op["requestBody"]["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[1]
        for item in document["paths"].values()
        for op in item.values()
        if "requestBody" in op
    }
    assert {"SeriesInput", "SeriesPatch", "OccurrenceChange", "PersonPatch", "ProgressInput"} <= bodies
    assert "ProposalInput" in bodies  # the proposal check's body comes from its model too
    for name in bodies:
        model = ProposalInput if name == "ProposalInput" else getattr(schemas, name)
        properties = model.model_json_schema(ref_template=REF_TEMPLATE)["properties"]
        assert set(components[name]["properties"]) == set(properties), name
    assert components["SeriesInput"]["required"] == ["title", "dtstart", "duration_minutes"]
    assert "required" not in components["SeriesPatch"]  # a PATCH sends only what changes
    assert document["components"]["securitySchemes"]["bearer"] == {"type": "http", "scheme": "bearer"}
    assert document["paths"]["/api/v1/series/{id}"]["patch"]["security"] == [{"bearer": []}]


def test_a_route_without_a_declared_operation_is_refused(app: Flask) -> None:
    app.add_url_rule("/api/v1/undocumented", "api.undocumented", lambda: "")
    with pytest.raises(RuntimeError, match="declares no OpenAPI operation"):
        build_document(app)


def test_every_rate_limited_api_endpoint_documents_429(app: Flask) -> None:
    from calsvc.web.guards import EXPENSIVE_ENDPOINTS

    document = app.test_client().get("/api/v1/openapi.json").get_json()
    by_endpoint = {rule.endpoint: rule.rule for rule in app.url_map.iter_rules()}
    limited = [by_endpoint[e] for e in EXPENSIVE_ENDPOINTS if e.startswith("api.")]
    assert limited
    for rule in limited:
        (operation,) = [op for path, item in document["paths"].items() if path == rule for op in item.values()]
        assert "429" in operation["responses"], rule
