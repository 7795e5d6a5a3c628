//! The subset of JSON Schema that function apps declare for their parameters,
//! parsed once per component version so requests never walk raw JSON schemas.

use serde_json::{Map, Value};

/// A parsed parameter or property schema.
#[derive(Clone, Debug, PartialEq)]
pub struct Schema {
    /// What values the schema accepts.
    pub kind: Kind,
    /// Value used when the input lacks this parameter or property.
    pub default: Option<Value>,
    /// Allowed values, when the schema lists them.
    pub allowed: Option<Vec<Value>>,
}

/// The accepted type with its constraints.
#[derive(Clone, Debug, PartialEq)]
pub enum Kind {
    /// Any JSON value (the schema `{}`).
    Any,
    /// Only `null`.
    Null,
    /// `true` or `false`.
    Boolean,
    /// A whole number within an inclusive range.
    Integer { minimum: Option<i128>, maximum: Option<i128> },
    /// A finite floating-point number within an inclusive range.
    Number { minimum: Option<f64>, maximum: Option<f64> },
    /// A string with a length range in characters.
    String { min_length: Option<usize>, max_length: Option<usize> },
    /// A list of items of one schema.
    Array { items: Box<Schema>, min_items: Option<usize>, max_items: Option<usize> },
    /// An object with named properties; `title` is set for models.
    Object { title: Option<String>, properties: Vec<Property> },
    /// The first alternative that accepts the value wins.
    AnyOf(Vec<Schema>),
}

/// A property of an object schema.
#[derive(Clone, Debug, PartialEq)]
pub struct Property {
    /// Property name.
    pub name: String,
    /// Property schema.
    pub schema: Schema,
    /// Whether the property must be present (and has no default).
    pub required: bool,
}

impl Schema {
    /// Parses a schema, rejecting types and keywords of the wrong shape.
    pub fn parse(value: &Value) -> Result<Schema, String> {
        let object = value.as_object().ok_or_else(|| format!("schema `{value}` is not an object"))?;
        let default = object.get("default").cloned();
        let allowed = match object.get("enum") {
            None => None,
            Some(Value::Array(values)) => Some(values.clone()),
            Some(other) => return Err(format!("`enum` must be a list, found `{other}`")),
        };
        let kind = parse_kind(object)?;
        Ok(Schema { kind, default, allowed })
    }

    /// Returns whether `null` is an accepted value.
    pub fn accepts_null(&self) -> bool {
        match &self.kind {
            Kind::Any | Kind::Null => true,
            Kind::AnyOf(options) => options.iter().any(Schema::accepts_null),
            _ => false,
        }
    }

    /// Returns the array schema of this schema or of one of its alternatives.
    pub fn as_array(&self) -> Option<&Schema> {
        match &self.kind {
            Kind::Array { .. } => Some(self),
            Kind::AnyOf(options) => options.iter().find_map(Schema::as_array),
            _ => None,
        }
    }

    /// Returns the properties when the schema, or one of its alternatives, is an object.
    pub fn object_properties(&self) -> Option<&[Property]> {
        match &self.kind {
            Kind::Object { properties, .. } => Some(properties),
            Kind::AnyOf(options) => options.iter().find_map(Schema::object_properties),
            _ => None,
        }
    }
}

fn parse_kind(object: &Map<String, Value>) -> Result<Kind, String> {
    if let Some(options) = object.get("anyOf") {
        let options = options.as_array().ok_or("`anyOf` must be a list")?;
        let options = options.iter().map(Schema::parse).collect::<Result<Vec<_>, _>>()?;
        return Ok(Kind::AnyOf(options));
    }
    let Some(kind) = object.get("type") else {
        return Ok(Kind::Any);
    };
    let kind = kind.as_str().ok_or_else(|| format!("`type` must be a string, found `{kind}`"))?;
    match kind {
        "null" => Ok(Kind::Null),
        "boolean" => Ok(Kind::Boolean),
        "integer" => Ok(Kind::Integer {
            minimum: integer_keyword(object, "minimum")?,
            maximum: integer_keyword(object, "maximum")?,
        }),
        "number" => Ok(Kind::Number {
            minimum: number_keyword(object, "minimum")?,
            maximum: number_keyword(object, "maximum")?,
        }),
        "string" => Ok(Kind::String {
            min_length: size_keyword(object, "minLength")?,
            max_length: size_keyword(object, "maxLength")?,
        }),
        "array" => {
            let items = match object.get("items") {
                Some(items) => Schema::parse(items)?,
                None => Schema { kind: Kind::Any, default: None, allowed: None },
            };
            Ok(Kind::Array {
                items: Box::new(items),
                min_items: size_keyword(object, "minItems")?,
                max_items: size_keyword(object, "maxItems")?,
            })
        }
        "object" => parse_object(object),
        other => Err(format!("unsupported schema type `{other}`")),
    }
}

fn parse_object(object: &Map<String, Value>) -> Result<Kind, String> {
    let required: Vec<&str> = match object.get("required") {
        None => Vec::new(),
        Some(Value::Array(names)) => names
            .iter()
            .map(|name| name.as_str().ok_or("`required` must list strings"))
            .collect::<Result<_, _>>()?,
        Some(other) => return Err(format!("`required` must be a list, found `{other}`")),
    };
    let mut properties = Vec::new();
    if let Some(declared) = object.get("properties") {
        let declared = declared.as_object().ok_or("`properties` must be an object")?;
        for (name, schema) in declared {
            let schema = Schema::parse(schema).map_err(|error| format!("property `{name}`: {error}"))?;
            let required = required.contains(&name.as_str()) && schema.default.is_none();
            properties.push(Property { name: name.clone(), schema, required });
        }
    }
    let title = object.get("title").and_then(Value::as_str).map(str::to_owned);
    Ok(Kind::Object { title, properties })
}

fn integer_keyword(object: &Map<String, Value>, key: &str) -> Result<Option<i128>, String> {
    match object.get(key) {
        None => Ok(None),
        Some(Value::Number(number)) => number
            .as_i64()
            .map(i128::from)
            .or_else(|| number.as_u64().map(i128::from))
            .map(Some)
            .ok_or_else(|| format!("`{key}` must be a whole number, found `{number}`")),
        Some(other) => Err(format!("`{key}` must be a number, found `{other}`")),
    }
}

fn number_keyword(object: &Map<String, Value>, key: &str) -> Result<Option<f64>, String> {
    match object.get(key) {
        None => Ok(None),
        Some(value) => value
            .as_f64()
            .map(Some)
            .ok_or_else(|| format!("`{key}` must be a number, found `{value}`")),
    }
}

fn size_keyword(object: &Map<String, Value>, key: &str) -> Result<Option<usize>, String> {
    match object.get(key) {
        None => Ok(None),
        Some(value) => value
            .as_u64()
            .and_then(|size| usize::try_from(size).ok())
            .map(Some)
            .ok_or_else(|| format!("`{key}` must be a non-negative whole number, found `{value}`")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn parses_integer_range() {
        let schema = Schema::parse(&json!({"type": "integer", "minimum": 0, "maximum": 255})).unwrap();
        assert_eq!(schema.kind, Kind::Integer { minimum: Some(0), maximum: Some(255) });
    }

    #[test]
    fn parses_model_with_default() {
        let schema = Schema::parse(&json!({
            "type": "object", "title": "Order",
            "properties": {"name": {"type": "string"}, "qty": {"type": "integer", "default": 42}},
            "required": ["name", "qty"],
        }))
        .unwrap();
        let properties = schema.object_properties().unwrap();
        assert!(properties[0].required);
        assert!(!properties[1].required, "a property with a default is optional");
    }

    #[test]
    fn rejects_unknown_type() {
        let error = Schema::parse(&json!({"type": "decimal"})).unwrap_err();
        assert_eq!(error, "unsupported schema type `decimal`");
    }

    #[test]
    fn optional_accepts_null() {
        let schema = Schema::parse(&json!({"anyOf": [{"type": "integer"}, {"type": "null"}]})).unwrap();
        assert!(schema.accepts_null());
    }
}
