"""The FastAPI half of the comparison with fnhost.

Every endpoint mirrors the one of the same name in `examples/compat/src/lib.rs`:
same path, method, parameter names, types, defaults and bounds. A Rust integer
type bounds its values, so the narrower types carry the same bounds here. An
`i64` stays a plain `int`, and `tests/tests/compat.rs` lists that difference.
The test runs this app with uvicorn and sends both apps the same requests.
"""

from typing import Annotated, Any, List, Optional

import json
from enum import Enum

from fastapi import APIRouter, Body, Cookie, FastAPI, File, Form, Header, Path, Query, UploadFile
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

U8 = Annotated[int, Field(ge=0, le=255)]


class EchoResponse(JSONResponse):
    """JSON that may hold NaN and the infinities, which pydantic accepts.

    Starlette's encoder raises on them, so an echo of `ratio=nan` would be a 500
    rather than showing that FastAPI accepted the value.
    """

    def render(self, content: Any) -> bytes:
        return json.dumps(content, allow_nan=True, separators=(",", ":")).encode()


app = FastAPI(default_response_class=EchoResponse)
# fnhost serves the guest's routes below the app's name.
router = APIRouter(prefix="/compat")


@router.get("/items/{id}")
def item(id: Annotated[int, Path(ge=0, le=4294967295)], full: bool = False):
    return {"id": id, "full": full}


@router.get("/names/{name}")
def name(name: str):
    return {"name": name}


@router.get("/scalars")
def scalars(n: int, small: Annotated[int, Query(ge=0, le=255)], ratio: float, flag: bool, name: str):
    return {"n": n, "small": small, "ratio": ratio, "flag": flag, "name": name}


@router.get("/widths")
def widths(
    tiny: Annotated[int, Query(ge=-128, le=127)],
    mid: Annotated[int, Query(ge=-2147483648, le=2147483647)],
    wide: Annotated[int, Query(ge=0, le=18446744073709551615)],
):
    return {"tiny": tiny, "mid": mid, "wide": wide}


@router.get("/optional")
def optional(maybe: Optional[int] = None, label: Optional[str] = None, limit: int = 10):
    return {"maybe": maybe, "label": label, "limit": limit}


@router.get("/lists")
def lists(
    ids: Annotated[List[int], Query()],
    tags: Annotated[List[str], Query()],
    scores: Annotated[Optional[List[float]], Query()] = None,
):
    return {"ids": ids, "tags": tags, "scores": scores}


@router.get("/list_bounds")
def list_bounds(codes: Annotated[List[str], Query(min_length=1, max_length=3)]):
    return {"codes": codes}


@router.get("/bounded")
def bounded(
    page: Annotated[int, Query(ge=1, le=100)],
    code: Annotated[str, Query(min_length=2, max_length=8)],
    ratio: Annotated[float, Query(ge=0.0, le=1.0)] = 0.5,
):
    return {"page": page, "code": code, "ratio": ratio}


class Order(BaseModel):
    name: str
    qty: int = 42
    note: Optional[str] = None


@router.post("/order")
def order(order: Order) -> Order:
    return order


class Person(BaseModel):
    name: str = Field(min_length=1)
    age: int = Field(ge=0, le=150)


class Team(BaseModel):
    name: str
    lead: Person
    members: List[Person]
    deputy: Optional[Person] = None


@router.post("/team")
def team(team: Team) -> Team:
    return team


class Measure(BaseModel):
    value: float
    ok: bool
    count: U8
    label: str


@router.post("/measure")
def measure(measure: Measure) -> Measure:
    return measure


@router.post("/any")
def any_body(body: Annotated[Any, Body()]):
    return body


@router.post("/pair")
def pair(order: Order, person: Person):
    return {"order": order, "person": person}


@router.put("/orders/{id}")
def update(
    *,
    id: Annotated[int, Path(ge=-2147483648, le=2147483647)],
    notify: Optional[bool] = None,
    order: Order,
):
    return {"id": id, "notify": notify, "order": order}


@router.post("/form_fields")
def form_fields(
    username: Annotated[str, Form()],
    password: Annotated[str, Form()],
    remember: Annotated[bool, Form()] = False,
    count: Annotated[int, Form(ge=1)] = 1,
):
    return {"username": username, "password": password, "remember": remember, "count": count}


class Login(BaseModel):
    username: str
    password: str
    remember: bool = False


@router.post("/form_model")
def form_model(login: Annotated[Login, Form()]) -> Login:
    return login


@router.get("/aliases")
def aliases(
    search: Annotated[Optional[str], Query(alias="q", max_length=5)] = None,
    page_size: Annotated[U8, Query(alias="page-size")] = 10,
):
    return {"search": search, "page_size": page_size}


@router.get("/headers")
def headers(
    x_token: Annotated[str, Header()],
    x_count: Annotated[Optional[U8], Header()] = None,
    tag: Annotated[Optional[str], Header(alias="x-request-tag")] = None,
    x_item: Annotated[List[str], Header()] = [],
):
    return {"x_token": x_token, "x_count": x_count, "tag": tag, "x_item": x_item}


@router.get("/cookies")
def cookies(
    session: Annotated[str, Cookie()],
    theme: Annotated[str, Cookie()] = "light",
    visits: Annotated[Optional[Annotated[int, Field(ge=0, le=4294967295)]], Cookie()] = None,
):
    return {"session": session, "theme": theme, "visits": visits}


class Color(str, Enum):
    red = "red"
    dark_green = "dark_green"
    blue = "sky"


@router.get("/paint")
def paint(color: Color, accent: Optional[Color] = None, extra: Annotated[List[Color], Query()] = []):
    return {"color": color, "accent": accent, "extra": extra}


class Brush(BaseModel):
    color: Color
    size: U8 = 1


@router.post("/brush")
def brush(brush: Brush) -> Brush:
    return brush


@router.post("/embedded")
def embedded(n: Annotated[int, Body(embed=True, ge=1, le=5)]):
    return {"n": n}


def describe(file: UploadFile) -> dict:
    return {"filename": file.filename, "content_type": file.content_type, "size": file.size}


@router.post("/upload")
def upload(
    file: UploadFile,
    extra: Optional[UploadFile] = None,
    note: Annotated[Optional[str], Form()] = None,
):
    return {"file": describe(file), "extra": extra and describe(extra), "note": note}


@router.post("/uploads")
def uploads(files: Annotated[List[UploadFile], File()]):
    return {"files": [describe(file) for file in files]}


app.include_router(router)
