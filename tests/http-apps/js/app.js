// A small HTTP app in JavaScript for fnhost's tests. componentize-js builds it into
// a component whose engine implements `wasi:http/incoming-handler` by dispatching a
// fetch event to the listener below.
//
// Routes:
// - `GET /`: plain text;
// - `GET /hello?name=NAME`: a JSON greeting;
// - `POST /json`: returns the JSON body it received, with its length in bytes;
// - `GET /request`: the path and `X-Forwarded-Prefix` that the app saw;
// - anything else: 404.

addEventListener("fetch", (event) => event.respondWith(handle(event.request)));

async function handle(request) {
  const url = new URL(request.url);
  const route = `${request.method} ${url.pathname}`;
  switch (route) {
    case "GET /":
      return new Response("hello from javascript\n", {
        headers: { "content-type": "text/plain; charset=utf-8" },
      });
    case "GET /hello": {
      const name = url.searchParams.get("name") ?? "world";
      return json(200, { message: `Hello, ${name}!`, language: "javascript" });
    }
    case "POST /json": {
      const text = await request.text();
      let value;
      try {
        value = JSON.parse(text);
      } catch (error) {
        return json(400, { error: `invalid JSON: ${error.message}` });
      }
      return json(200, { received: value, length: new TextEncoder().encode(text).length });
    }
    case "GET /request":
      return json(200, {
        path: url.pathname,
        query: url.search ? url.search.slice(1) : null,
        forwarded_prefix: request.headers.get("x-forwarded-prefix"),
      });
    default:
      return json(404, { error: `no route for \`${url.pathname}\`` });
  }
}

function json(status, value) {
  return new Response(JSON.stringify(value), {
    status,
    headers: { "content-type": "application/json" },
  });
}
