def error_of(response) -> dict:
    """The error body every 4xx of the API answers with; fails when the shape is not ours."""
    body = response.json()
    assert set(body) == {"error"}, body
    assert set(body["error"]) == {"code", "message", "fields"}, body
    return body["error"]
