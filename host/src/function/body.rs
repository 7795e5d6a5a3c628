//! Reading a request body the way an endpoint's parameters need it: as JSON
//! (rejecting duplicate keys), as an urlencoded form, or as a multipart form with
//! file uploads.

use std::convert::Infallible;
use std::fmt;

use base64::Engine as _;
use bytes::Bytes;
use http::HeaderMap;
use serde::de::{self, DeserializeSeed, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Number, Value, json};

use super::endpoint::{EndpointSpec, Source};
use super::urlencoded::decode_pairs;
use super::validate::ValidationError;

/// Failure to read a body.
#[derive(Debug)]
pub enum BodyError {
    /// The JSON body is malformed.
    Invalid(ValidationError),
    /// The body's content type is not one the endpoint reads.
    UnsupportedMediaType(String),
    /// The multipart body is malformed.
    BadRequest(String),
}

/// A body read for an endpoint.
#[derive(Debug, Default)]
pub enum BodyData {
    /// The endpoint reads no body, or the body is empty.
    #[default]
    None,
    /// A parsed JSON body.
    Json(Value),
    /// Fields and files of a form.
    Form(FormData),
}

/// Fields and uploaded files of an urlencoded or multipart form.
#[derive(Debug, Default)]
pub struct FormData {
    /// Text fields in the order received; a name may repeat.
    pub fields: Vec<(String, String)>,
    /// Uploaded files in the order received, as the JSON objects handed to guests:
    /// `{"filename", "content_type", "data"}` with the bytes in standard base64.
    pub files: Vec<(String, Value)>,
}

/// Reads `body` as JSON or as a form, depending on the endpoint's parameters.
pub async fn read(endpoint: &EndpointSpec, headers: &HeaderMap, body: Bytes) -> Result<BodyData, BodyError> {
    let reads_form = endpoint.params.iter().any(|param| matches!(param.source, Source::Form | Source::File));
    let reads_json = endpoint.body_params > 0;
    if (!reads_json && !reads_form) || body.is_empty() {
        return Ok(BodyData::None);
    }
    let content_type = headers.get(http::header::CONTENT_TYPE).and_then(|value| value.to_str().ok());
    let media_type = content_type.map(|value| value.split(';').next().unwrap_or_default().trim().to_ascii_lowercase());

    if reads_form {
        return match media_type.as_deref() {
            Some("application/x-www-form-urlencoded") => {
                let fields = decode_pairs(&body).map_err(|error| BodyError::BadRequest(format!("invalid form body: {error}")))?;
                Ok(BodyData::Form(FormData { fields, files: Vec::new() }))
            }
            Some("multipart/form-data") => read_multipart(content_type.unwrap_or_default(), body).await,
            other => Err(BodyError::UnsupportedMediaType(format!(
                "this endpoint reads a form: send `Content-Type: application/x-www-form-urlencoded` \
                 or `multipart/form-data`, not `{}`",
                other.unwrap_or("none")
            ))),
        };
    }

    match media_type.as_deref() {
        None | Some("application/json") => {}
        Some(other) if other.starts_with("application/") && other.ends_with("+json") => {}
        Some(other) => {
            return Err(BodyError::UnsupportedMediaType(format!(
                "this endpoint reads a JSON body: send `Content-Type: application/json`, not `{other}`"
            )));
        }
    }
    parse_json(&body).map(BodyData::Json).map_err(BodyError::Invalid)
}

async fn read_multipart(content_type: &str, body: Bytes) -> Result<BodyData, BodyError> {
    let boundary = multer::parse_boundary(content_type)
        .map_err(|_| BodyError::BadRequest(format!("invalid multipart content type `{content_type}`: it needs a `boundary`")))?;
    let stream = futures_util::stream::once(async move { Ok::<Bytes, Infallible>(body) });
    let mut multipart = multer::Multipart::new(stream, boundary);
    let mut form = FormData::default();
    let malformed = |error: multer::Error| BodyError::BadRequest(format!("invalid multipart body: {error}"));

    while let Some(field) = multipart.next_field().await.map_err(malformed)? {
        let name = field.name().unwrap_or_default().to_owned();
        let filename = field.file_name().map(str::to_owned);
        let content_type = field.content_type().map(ToString::to_string);
        let data = field.bytes().await.map_err(malformed)?;
        match filename {
            Some(filename) => form.files.push((
                name,
                json!({
                    "filename": filename,
                    "content_type": content_type,
                    "data": base64::engine::general_purpose::STANDARD.encode(&data),
                }),
            )),
            None => form.fields.push((name, String::from_utf8_lossy(&data).into_owned())),
        }
    }
    Ok(BodyData::Form(form))
}

/// Parses JSON as `serde_json` does, but rejects an object with a repeated key:
/// the two values would otherwise be merged silently, the last one winning.
#[expect(clippy::result_large_err, reason = "called once per request; the error becomes the 422 body")]
pub fn parse_json(body: &[u8]) -> Result<Value, ValidationError> {
    let mut deserializer = serde_json::Deserializer::from_slice(body);
    let value = StrictValue.deserialize(&mut deserializer).and_then(|value| {
        deserializer.end()?;
        Ok(value)
    });
    value.map_err(|error| json_error(body, &error))
}

/// Describes malformed JSON as FastAPI does: `json_invalid` at the byte offset.
fn json_error(body: &[u8], error: &serde_json::Error) -> ValidationError {
    // At the end of input serde_json points at the last byte, Python's json at the end.
    let offset = if error.is_eof() { body.len() } else { byte_offset(body, error.line(), error.column()) };
    ValidationError {
        kind: "json_invalid",
        loc: vec![Value::from("body"), Value::from(offset)],
        msg: "JSON decode error".to_owned(),
        input: Value::Object(Map::new()),
        ctx: Some(json!({ "error": error.to_string() })),
    }
}

/// Converts serde_json's 1-based line and column into a 0-based byte offset.
fn byte_offset(body: &[u8], line: usize, column: usize) -> usize {
    let line_start: usize =
        body.split_inclusive(|byte| *byte == b'\n').take(line.saturating_sub(1)).map(<[u8]>::len).sum();
    (line_start + column.saturating_sub(1)).min(body.len())
}

/// Builds a [`Value`] like `serde_json::Value`'s own deserializer, failing on a
/// repeated object key.
struct StrictValue;

impl<'de> DeserializeSeed<'de> for StrictValue {
    type Value = Value;

    fn deserialize<D: de::Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for StrictValue {
    type Value = Value;

    fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str("any JSON value")
    }

    fn visit_bool<E>(self, value: bool) -> Result<Value, E> {
        Ok(Value::Bool(value))
    }

    fn visit_i64<E>(self, value: i64) -> Result<Value, E> {
        Ok(Value::Number(value.into()))
    }

    fn visit_u64<E>(self, value: u64) -> Result<Value, E> {
        Ok(Value::Number(value.into()))
    }

    fn visit_f64<E: de::Error>(self, value: f64) -> Result<Value, E> {
        Number::from_f64(value).map(Value::Number).ok_or_else(|| E::custom("number out of range"))
    }

    fn visit_str<E>(self, value: &str) -> Result<Value, E> {
        Ok(Value::String(value.to_owned()))
    }

    fn visit_string<E>(self, value: String) -> Result<Value, E> {
        Ok(Value::String(value))
    }

    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(1024));
        while let Some(item) = seq.next_element_seed(StrictValue)? {
            items.push(item);
        }
        Ok(Value::Array(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut object = Map::new();
        while let Some(key) = map.next_key::<String>()? {
            if object.contains_key(&key) {
                return Err(de::Error::custom(format!("duplicate key `{key}`")));
            }
            let value = map.next_value_seed(StrictValue)?;
            object.insert(key, value);
        }
        Ok(Value::Object(object))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn duplicate_key_is_rejected() {
        let error = parse_json(br#"{"a": 1, "a": 2}"#).unwrap_err();
        assert_eq!(error.kind, "json_invalid");
        assert!(error.ctx.unwrap()["error"].as_str().unwrap().starts_with("duplicate key `a`"));
    }

    #[test]
    fn nested_duplicate_key_is_rejected() {
        assert!(parse_json(br#"[{"b": {"c": 1, "c": 1}}]"#).is_err());
    }

    #[test]
    fn truncated_json_points_at_end() {
        let error = parse_json(br#"{"x": 4"#).unwrap_err();
        assert_eq!(error.loc, vec![json!("body"), json!(7)]);
    }

    #[test]
    fn deep_nesting_is_rejected() {
        let deep = format!("{}{}", "[".repeat(10_000), "]".repeat(10_000));
        assert!(parse_json(deep.as_bytes()).is_err());
    }

    #[test]
    fn huge_number_is_rejected() {
        assert!(parse_json(b"1e400").is_err());
    }

    #[test]
    fn trailing_characters_are_rejected() {
        assert!(parse_json(br#"{"x": 1} x"#).is_err());
    }

    #[test]
    fn plain_values_parse() {
        assert_eq!(parse_json(br#"{"a": [1, -2, 3.5, "s", null, true]}"#).unwrap(), json!({"a": [1, -2, 3.5, "s", null, true]}));
    }
}
