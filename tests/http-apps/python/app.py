"""A small HTTP app in Python for fnhost's tests, built into a component that
exports `wasi:http/incoming-handler` with componentize-py.

Routes:
- `GET /`: plain text;
- `GET /hello?name=NAME`: a JSON greeting;
- `POST /json`: returns the JSON body it received, with its length in bytes;
- `GET /request`: the path and `X-Forwarded-Prefix` that the app saw;
- anything else: 404.
"""

import json
from urllib.parse import parse_qs, urlsplit

from wit_world import exports
from wit_world.imports.types import (
    Fields,
    IncomingBody,
    IncomingRequest,
    Method_Get,
    Method_Post,
    OutgoingBody,
    OutgoingResponse,
    ResponseOutparam,
)
from wit_world.imports.streams import StreamError_Closed
from componentize_py_types import Ok

# `blocking-write-and-flush` accepts at most 4096 bytes per call.
WRITE_CHUNK = 4096


class IncomingHandler(exports.IncomingHandler):
    """Entry point that the host calls once per request."""

    def handle(self, request: IncomingRequest, response_out: ResponseOutparam) -> None:
        method = request.method()
        target = urlsplit(request.path_with_query() or "/")
        headers = {name.lower(): value.decode() for name, value in request.headers().entries()}
        if isinstance(method, Method_Get) and target.path == "/":
            send(response_out, 200, "text/plain; charset=utf-8", b"hello from python\n")
        elif isinstance(method, Method_Get) and target.path == "/hello":
            name = parse_qs(target.query).get("name", ["world"])[0]
            send_json(response_out, 200, {"message": f"Hello, {name}!", "language": "python"})
        elif isinstance(method, Method_Post) and target.path == "/json":
            body = read_body(request)
            try:
                value = json.loads(body)
            except ValueError as error:
                send_json(response_out, 400, {"error": f"invalid JSON: {error}"})
                return
            send_json(response_out, 200, {"received": value, "length": len(body)})
        elif isinstance(method, Method_Get) and target.path == "/request":
            send_json(
                response_out,
                200,
                {
                    "path": target.path,
                    "query": target.query or None,
                    "forwarded_prefix": headers.get("x-forwarded-prefix"),
                },
            )
        else:
            send_json(response_out, 404, {"error": f"no route for `{target.path}`"})


def read_body(request: IncomingRequest) -> bytes:
    """Reads the whole request body; the routes here only take small ones."""
    body = request.consume()
    stream = body.stream()
    parts = []
    while True:
        try:
            parts.append(stream.blocking_read(65536))
        except Exception as error:
            # The stream reports its end as an error whose value is `closed`.
            if isinstance(getattr(error, "value", None), StreamError_Closed):
                break
            raise
    stream.__exit__(None, None, None)
    IncomingBody.finish(body)
    return b"".join(parts)


def send_json(response_out: ResponseOutparam, status: int, value: object) -> None:
    send(response_out, status, "application/json", json.dumps(value, separators=(",", ":")).encode())


def send(response_out: ResponseOutparam, status: int, content_type: str, data: bytes) -> None:
    headers = Fields.from_list([("content-type", content_type.encode())])
    response = OutgoingResponse(headers)
    response.set_status_code(status)
    body = response.body()
    ResponseOutparam.set(response_out, Ok(response))
    stream = body.write()
    for start in range(0, len(data), WRITE_CHUNK):
        stream.blocking_write_and_flush(data[start : start + WRITE_CHUNK])
    # The stream is a child of the body: drop it before finishing the body.
    stream.__exit__(None, None, None)
    OutgoingBody.finish(body, None)
