//! Coercion of request values to parameter schemas, with errors in pydantic v2's
//! shape: `type`, `loc`, `msg`, `input` and, for constraints, `ctx`.
//!
//! Values from the query string, a form, a path or a header arrive as text and are
//! read the way pydantic reads strings in lax mode ("42" is 42, "yes" is true).
//! JSON values are read in lax mode as well, except that NaN and the infinities are
//! rejected: they have no JSON form to hand to the guest.

use serde::Serialize;
use serde_json::{Map, Number, Value, json};

use super::schema::{Kind, Property, Schema};

/// One failed value.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ValidationError {
    /// Machine-readable error type, as pydantic names it (`int_parsing`, `missing`).
    #[serde(rename = "type")]
    pub kind: &'static str,
    /// Location of the value: source, parameter name, then nested keys and indexes.
    pub loc: Vec<Value>,
    /// Message for people.
    pub msg: String,
    /// The value as received; `null` when it is missing.
    pub input: Value,
    /// Constraint values named in the message.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ctx: Option<Value>,
}

/// A value to validate: text from a URL, form or header, or a parsed JSON value.
#[derive(Clone, Copy, Debug)]
pub enum Input<'a> {
    /// Text, read leniently (numbers and booleans are parsed from it).
    Text(&'a str),
    /// A JSON value.
    Json(&'a Value),
}

impl Input<'_> {
    fn to_value(self) -> Value {
        match self {
            Input::Text(text) => Value::String(text.to_owned()),
            Input::Json(value) => value.clone(),
        }
    }
}

/// Collects every error of one request.
#[derive(Debug, Default)]
pub struct Validator {
    /// Errors found so far, in the order found.
    pub errors: Vec<ValidationError>,
}

impl Validator {
    /// Records an error at `loc`.
    pub fn fail(&mut self, kind: &'static str, loc: &[Value], msg: impl Into<String>, input: Value) {
        self.fail_with(kind, loc, msg, input, None);
    }

    fn fail_with(
        &mut self,
        kind: &'static str,
        loc: &[Value],
        msg: impl Into<String>,
        input: Value,
        ctx: Option<Value>,
    ) {
        self.errors.push(ValidationError { kind, loc: loc.to_vec(), msg: msg.into(), input, ctx });
    }

    /// Records that a required value is missing; `input` is the enclosing object, as
    /// pydantic reports it, or `null`.
    pub fn missing(&mut self, loc: &[Value], input: Value) {
        self.fail("missing", loc, "Field required", input);
    }

    /// Validates `input` against `schema`, returning the coerced value, or `None`
    /// after recording why it failed.
    pub fn validate(&mut self, schema: &Schema, input: Input<'_>, loc: &mut Vec<Value>) -> Option<Value> {
        if let Some(allowed) = &schema.allowed {
            return self.choice(schema, allowed, input, loc);
        }
        self.validate_kind(schema, input, loc)
    }

    /// Validates a value that must be one of `allowed`: any other value, of any type,
    /// is an `enum` error, as pydantic reports it.
    fn choice(&mut self, schema: &Schema, allowed: &[Value], input: Input<'_>, loc: &mut Vec<Value>) -> Option<Value> {
        let mut trial = Validator::default();
        if let Some(value) = trial.validate_kind(schema, input, loc).filter(|value| allowed.contains(value)) {
            return Some(value);
        }
        let expected = describe_choices(allowed);
        let ctx = Some(json!({ "expected": expected }));
        self.fail_with("enum", loc, format!("Input should be {expected}"), input.to_value(), ctx);
        None
    }

    fn validate_kind(&mut self, schema: &Schema, input: Input<'_>, loc: &mut Vec<Value>) -> Option<Value> {
        match &schema.kind {
            Kind::Any => Some(input.to_value()),
            Kind::Null => self.null(input, loc),
            Kind::Boolean => self.boolean(input, loc),
            Kind::Integer { minimum, maximum } => self.integer(input, *minimum, *maximum, loc),
            Kind::Number { minimum, maximum } => self.number(input, *minimum, *maximum, loc),
            Kind::String { min_length, max_length } => self.string(input, *min_length, *max_length, loc),
            Kind::Array { items, min_items, max_items } => {
                self.array(items, input, *min_items, *max_items, loc)
            }
            Kind::Object { title, properties } => self.object(title.is_some(), properties, input, loc),
            Kind::AnyOf(options) => self.any_of(options, input, loc),
        }
    }

    /// Validates each text of a repeated key as one item of `schema`'s list.
    pub fn validate_texts(&mut self, schema: &Schema, texts: &[&str], loc: &mut Vec<Value>) -> Option<Value> {
        let Some(Schema { kind: Kind::Array { items, min_items, max_items }, .. }) = schema.as_array() else {
            return texts.last().and_then(|text| self.validate(schema, Input::Text(text), loc));
        };
        let inputs: Vec<Input<'_>> = texts.iter().map(|text| Input::Text(text)).collect();
        let input_value = Value::Array(texts.iter().map(|text| Value::String((*text).to_owned())).collect());
        self.items(items, &inputs, *min_items, *max_items, &input_value, loc)
    }

    fn null(&mut self, input: Input<'_>, loc: &[Value]) -> Option<Value> {
        match input {
            Input::Json(Value::Null) => Some(Value::Null),
            _ => {
                self.fail("none_required", loc, "Input should be None", input.to_value());
                None
            }
        }
    }

    fn boolean(&mut self, input: Input<'_>, loc: &[Value]) -> Option<Value> {
        let parsed = match input {
            Input::Text(text) => parse_bool(text).ok_or("bool_parsing"),
            Input::Json(Value::Bool(value)) => Ok(*value),
            Input::Json(Value::String(text)) => parse_bool(text).ok_or("bool_parsing"),
            Input::Json(Value::Number(number)) => match number.as_f64() {
                Some(0.0) => Ok(false),
                Some(1.0) => Ok(true),
                _ => Err("bool_parsing"),
            },
            Input::Json(_) => Err("bool_type"),
        };
        match parsed {
            Ok(value) => Some(Value::Bool(value)),
            Err(kind) => {
                let msg = if kind == "bool_type" {
                    "Input should be a valid boolean"
                } else {
                    "Input should be a valid boolean, unable to interpret input"
                };
                self.fail(kind, loc, msg, input.to_value());
                None
            }
        }
    }

    fn integer(
        &mut self,
        input: Input<'_>,
        minimum: Option<i128>,
        maximum: Option<i128>,
        loc: &[Value],
    ) -> Option<Value> {
        let parsed = match input {
            Input::Text(text) => parse_integer(text),
            Input::Json(Value::String(text)) => parse_integer(text),
            Input::Json(Value::Bool(value)) => Ok(i128::from(*value)),
            Input::Json(Value::Number(number)) => integer_from_number(number),
            Input::Json(_) => Err(("int_type", "Input should be a valid integer")),
        };
        let value = match parsed {
            Ok(value) => value,
            Err((kind, msg)) => {
                self.fail(kind, loc, msg, input.to_value());
                return None;
            }
        };
        self.check_range(value, minimum, maximum, loc, input)?;
        // The range check above keeps declared integers within 64 bits; an undeclared
        // range may still overflow them.
        match (i64::try_from(value), u64::try_from(value)) {
            (Ok(small), _) => Some(Value::Number(small.into())),
            (_, Ok(large)) => Some(Value::Number(large.into())),
            _ => {
                self.fail(
                    "int_parsing_size",
                    loc,
                    "Unable to parse input string as an integer, exceeded maximum size",
                    input.to_value(),
                );
                None
            }
        }
    }

    fn number(&mut self, input: Input<'_>, minimum: Option<f64>, maximum: Option<f64>, loc: &[Value]) -> Option<Value> {
        let parse_text = |text: &str| {
            let failure = ("float_parsing", "Input should be a valid number, unable to parse string as a number");
            strip_digit_separators(text.trim()).ok_or(failure)?.parse::<f64>().map_err(|_| failure)
        };
        let parsed = match input {
            Input::Text(text) => parse_text(text),
            Input::Json(Value::String(text)) => parse_text(text),
            Input::Json(Value::Bool(value)) => Ok(f64::from(u8::from(*value))),
            Input::Json(Value::Number(number)) => {
                number.as_f64().ok_or(("float_type", "Input should be a valid number"))
            }
            Input::Json(_) => Err(("float_type", "Input should be a valid number")),
        };
        let value = match parsed {
            Ok(value) if value.is_finite() => value,
            Ok(_) => {
                self.fail("finite_number", loc, "Input should be a finite number", input.to_value());
                return None;
            }
            Err((kind, msg)) => {
                self.fail(kind, loc, msg, input.to_value());
                return None;
            }
        };
        self.check_range(value, minimum, maximum, loc, input)?;
        Number::from_f64(value).map(Value::Number)
    }

    /// Records `greater_than_equal` or `less_than_equal` when `value` is outside the
    /// inclusive range, returning `None` then.
    fn check_range<T: PartialOrd + Serialize>(
        &mut self,
        value: T,
        minimum: Option<T>,
        maximum: Option<T>,
        loc: &[Value],
        input: Input<'_>,
    ) -> Option<()> {
        if let Some(minimum) = minimum.filter(|minimum| value < *minimum) {
            let minimum = json!(minimum);
            let msg = format!("Input should be greater than or equal to {minimum}");
            self.fail_with("greater_than_equal", loc, msg, input.to_value(), Some(json!({ "ge": minimum })));
            return None;
        }
        if let Some(maximum) = maximum.filter(|maximum| value > *maximum) {
            let maximum = json!(maximum);
            let msg = format!("Input should be less than or equal to {maximum}");
            self.fail_with("less_than_equal", loc, msg, input.to_value(), Some(json!({ "le": maximum })));
            return None;
        }
        Some(())
    }

    fn string(
        &mut self,
        input: Input<'_>,
        min_length: Option<usize>,
        max_length: Option<usize>,
        loc: &[Value],
    ) -> Option<Value> {
        let text = match input {
            Input::Text(text) => text,
            Input::Json(Value::String(text)) => text.as_str(),
            Input::Json(other) => {
                self.fail("string_type", loc, "Input should be a valid string", other.clone());
                return None;
            }
        };
        let length = text.chars().count();
        if let Some(min_length) = min_length.filter(|min_length| length < *min_length) {
            let msg = format!("String should have at least {min_length} {}", plural(min_length, "character"));
            let ctx = Some(json!({ "min_length": min_length }));
            self.fail_with("string_too_short", loc, msg, input.to_value(), ctx);
            return None;
        }
        if let Some(max_length) = max_length.filter(|max_length| length > *max_length) {
            let msg = format!("String should have at most {max_length} {}", plural(max_length, "character"));
            let ctx = Some(json!({ "max_length": max_length }));
            self.fail_with("string_too_long", loc, msg, input.to_value(), ctx);
            return None;
        }
        Some(Value::String(text.to_owned()))
    }

    fn array(
        &mut self,
        items: &Schema,
        input: Input<'_>,
        min_items: Option<usize>,
        max_items: Option<usize>,
        loc: &mut Vec<Value>,
    ) -> Option<Value> {
        match input {
            Input::Json(Value::Array(values)) => {
                let inputs: Vec<Input<'_>> = values.iter().map(Input::Json).collect();
                self.items(items, &inputs, min_items, max_items, &input.to_value(), loc)
            }
            Input::Text(text) => self.items(items, &[Input::Text(text)], min_items, max_items, &json!([text]), loc),
            Input::Json(other) => {
                self.fail("list_type", loc, "Input should be a valid list", other.clone());
                None
            }
        }
    }

    fn items(
        &mut self,
        items: &Schema,
        inputs: &[Input<'_>],
        min_items: Option<usize>,
        max_items: Option<usize>,
        input_value: &Value,
        loc: &mut Vec<Value>,
    ) -> Option<Value> {
        let mut values = Vec::with_capacity(inputs.len());
        let mut failed = false;
        for (index, item) in inputs.iter().enumerate() {
            loc.push(Value::from(index));
            match self.validate(items, *item, loc) {
                Some(value) => values.push(value),
                None => failed = true,
            }
            loc.pop();
        }
        if failed {
            return None;
        }
        let count = values.len();
        if let Some(min_items) = min_items.filter(|min_items| count < *min_items) {
            let msg = format!(
                "List should have at least {min_items} {} after validation, not {count}",
                plural(min_items, "item")
            );
            let ctx = Some(json!({ "field_type": "List", "min_length": min_items, "actual_length": count }));
            self.fail_with("too_short", loc, msg, input_value.clone(), ctx);
            return None;
        }
        if let Some(max_items) = max_items.filter(|max_items| count > *max_items) {
            let msg = format!(
                "List should have at most {max_items} {} after validation, not {count}",
                plural(max_items, "item")
            );
            let ctx = Some(json!({ "field_type": "List", "max_length": max_items, "actual_length": count }));
            self.fail_with("too_long", loc, msg, input_value.clone(), ctx);
            return None;
        }
        Some(Value::Array(values))
    }

    fn object(&mut self, is_model: bool, properties: &[Property], input: Input<'_>, loc: &mut Vec<Value>) -> Option<Value> {
        let Input::Json(whole @ Value::Object(object)) = input else {
            if is_model {
                let msg = "Input should be a valid dictionary or object to extract fields from";
                self.fail("model_attributes_type", loc, msg, input.to_value());
            } else {
                self.fail("dict_type", loc, "Input should be a valid dictionary", input.to_value());
            }
            return None;
        };
        if properties.is_empty() {
            return Some(Value::Object(object.clone()));
        }
        let mut output = Map::with_capacity(properties.len());
        let mut failed = false;
        for property in properties {
            loc.push(Value::String(property.name.clone()));
            match self.property(property, object.get(&property.name), whole, loc) {
                Some(value) => {
                    output.insert(property.name.clone(), value);
                }
                None => failed = true,
            }
            loc.pop();
        }
        (!failed).then_some(Value::Object(output))
    }

    /// Validates one property or parameter that may be absent: an absent value takes
    /// the schema's default, `null` when it is optional, or fails as missing.
    pub fn property(
        &mut self,
        property: &Property,
        value: Option<&Value>,
        parent: &Value,
        loc: &mut Vec<Value>,
    ) -> Option<Value> {
        match value {
            Some(value) => self.validate(&property.schema, Input::Json(value), loc),
            None => self.absent(&property.schema, property.required, loc, parent),
        }
    }

    /// Returns the value of an absent parameter or property, or records it as missing.
    pub fn absent(&mut self, schema: &Schema, required: bool, loc: &[Value], parent: &Value) -> Option<Value> {
        if let Some(default) = &schema.default {
            return Some(default.clone());
        }
        if required {
            self.missing(loc, parent.clone());
            return None;
        }
        Some(Value::Null)
    }

    fn any_of(&mut self, options: &[Schema], input: Input<'_>, loc: &mut Vec<Value>) -> Option<Value> {
        if matches!(input, Input::Json(Value::Null)) && options.iter().any(Schema::accepts_null) {
            return Some(Value::Null);
        }
        let candidates: Vec<&Schema> = options.iter().filter(|option| option.kind != Kind::Null).collect();
        let Some((first, rest)) = candidates.split_first() else {
            return self.null(input, loc);
        };
        for option in rest {
            let mut trial = Validator::default();
            if let Some(value) = trial.validate(option, input, loc) {
                return Some(value);
            }
        }
        // With one non-null alternative, as for `Option<T>`, its errors are reported.
        // With several, the first alternative's errors are reported.
        self.validate(first, input, loc)
    }
}

fn parse_bool(text: &str) -> Option<bool> {
    match text.trim().to_ascii_lowercase().as_str() {
        "1" | "on" | "t" | "true" | "y" | "yes" => Some(true),
        "0" | "off" | "f" | "false" | "n" | "no" => Some(false),
        _ => None,
    }
}

type ParseFailure = (&'static str, &'static str);

const INT_PARSING: ParseFailure =
    ("int_parsing", "Input should be a valid integer, unable to parse string as an integer");
const INT_FROM_FLOAT: ParseFailure =
    ("int_from_float", "Input should be a valid integer, got a number with a fractional part");

fn parse_integer(text: &str) -> Result<i128, ParseFailure> {
    let text = strip_digit_separators(text.trim()).ok_or(INT_PARSING)?;
    // pydantic reads "4.0" and "4.00" as 4.
    let whole = match text.split_once('.') {
        Some((whole, fraction)) if !whole.is_empty() && fraction.bytes().all(|byte| byte == b'0') => whole,
        _ => &text,
    };
    let digits = whole.strip_prefix(['+', '-']).unwrap_or(whole);
    if digits.is_empty() || !digits.bytes().all(|byte| byte.is_ascii_digit()) {
        return Err(INT_PARSING);
    }
    // Past i128 the value saturates, so the declared range reports it as too large or
    // too small, as pydantic does for Python's unbounded integers.
    Ok(whole.parse::<i128>().unwrap_or(if whole.starts_with('-') { i128::MIN } else { i128::MAX }))
}

/// Removes `_` between digits, as Python's `int()` and `float()` accept `1_000`;
/// returns `None` for an underscore anywhere else.
fn strip_digit_separators(text: &str) -> Option<std::borrow::Cow<'_, str>> {
    if !text.contains('_') {
        return Some(std::borrow::Cow::Borrowed(text));
    }
    let bytes = text.as_bytes();
    let between_digits = bytes.iter().enumerate().filter(|(_, byte)| **byte == b'_').all(|(index, _)| {
        index > 0 && bytes[index - 1].is_ascii_digit() && bytes.get(index + 1).is_some_and(u8::is_ascii_digit)
    });
    between_digits.then(|| std::borrow::Cow::Owned(text.replace('_', "")))
}

fn integer_from_number(number: &Number) -> Result<i128, ParseFailure> {
    if let Some(value) = number.as_i64() {
        return Ok(i128::from(value));
    }
    if let Some(value) = number.as_u64() {
        return Ok(i128::from(value));
    }
    let value = number.as_f64().ok_or(INT_PARSING)?;
    if value.fract() != 0.0 {
        return Err(INT_FROM_FLOAT);
    }
    // Whole floats past i128 (such as 1e300) cannot be integers of any declared width.
    if value.abs() >= 1.7e38 {
        return Err(("int_parsing_size", "Unable to parse input string as an integer, exceeded maximum size"));
    }
    #[expect(clippy::cast_possible_truncation, reason = "the value is whole and within i128")]
    Ok(value as i128)
}

fn plural(count: usize, noun: &str) -> String {
    if count == 1 { noun.to_owned() } else { format!("{noun}s") }
}

/// Formats allowed values as pydantic does: `'a', 'b' or 'c'`.
fn describe_choices(allowed: &[Value]) -> String {
    let quoted: Vec<String> = allowed
        .iter()
        .map(|value| match value {
            Value::String(text) => format!("'{text}'"),
            other => other.to_string(),
        })
        .collect();
    match quoted.split_last() {
        None => String::new(),
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} or {last}", rest.join(", ")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn schema(value: Value) -> Schema {
        Schema::parse(&value).unwrap()
    }

    fn check(schema_value: Value, input: Input<'_>) -> Result<Value, Vec<ValidationError>> {
        let mut validator = Validator::default();
        let mut loc = vec![json!("query"), json!("x")];
        match validator.validate(&schema(schema_value), input, &mut loc) {
            Some(value) if validator.errors.is_empty() => Ok(value),
            _ => Err(validator.errors),
        }
    }

    #[test]
    fn integer_text_forms() {
        let integer = || json!({"type": "integer"});
        assert_eq!(check(integer(), Input::Text("42")), Ok(json!(42)));
        assert_eq!(check(integer(), Input::Text(" -7 ")), Ok(json!(-7)));
        assert_eq!(check(integer(), Input::Text("4.00")), Ok(json!(4)));
        assert_eq!(check(integer(), Input::Text("4.5")).unwrap_err()[0].kind, "int_parsing");
        assert_eq!(check(integer(), Input::Text("")).unwrap_err()[0].kind, "int_parsing");
    }

    #[test]
    fn integer_from_json_float() {
        assert_eq!(check(json!({"type": "integer"}), Input::Json(&json!(3.0))), Ok(json!(3)));
        let errors = check(json!({"type": "integer"}), Input::Json(&json!(3.5))).unwrap_err();
        assert_eq!(errors[0].kind, "int_from_float");
    }

    #[test]
    fn integer_past_u64_is_rejected() {
        let errors = check(json!({"type": "integer"}), Input::Text("18446744073709551616")).unwrap_err();
        assert_eq!(errors[0].kind, "int_parsing_size");
    }

    #[test]
    fn integer_past_i128_hits_declared_range() {
        let schema = json!({"type": "integer", "minimum": 0, "maximum": 255});
        let errors = check(schema, Input::Text(&"9".repeat(50))).unwrap_err();
        assert_eq!(errors[0].kind, "less_than_equal");
    }

    #[test]
    fn underscores_between_digits() {
        assert_eq!(check(json!({"type": "integer"}), Input::Text("1_000")), Ok(json!(1000)));
        assert_eq!(check(json!({"type": "number"}), Input::Text("1_0.5")), Ok(json!(10.5)));
        assert_eq!(check(json!({"type": "integer"}), Input::Text("_1")).unwrap_err()[0].kind, "int_parsing");
        assert_eq!(check(json!({"type": "integer"}), Input::Text("1__0")).unwrap_err()[0].kind, "int_parsing");
    }

    #[test]
    fn enum_rejects_other_types() {
        let errors = check(json!({"type": "string", "enum": ["a"]}), Input::Json(&json!(1))).unwrap_err();
        assert_eq!(errors[0].kind, "enum");
    }

    #[test]
    fn u8_range_is_checked() {
        let errors = check(json!({"type": "integer", "minimum": 0, "maximum": 255}), Input::Text("300")).unwrap_err();
        assert_eq!(errors[0].kind, "less_than_equal");
        assert_eq!(errors[0].msg, "Input should be less than or equal to 255");
        assert_eq!(errors[0].ctx, Some(json!({"le": 255})));
    }

    #[test]
    fn booleans_read_as_pydantic() {
        for (text, expected) in [("true", true), ("YES", true), ("on", true), ("1", true), ("f", false), ("off", false)] {
            assert_eq!(check(json!({"type": "boolean"}), Input::Text(text)), Ok(json!(expected)), "{text}");
        }
        assert_eq!(check(json!({"type": "boolean"}), Input::Text("2")).unwrap_err()[0].kind, "bool_parsing");
        assert_eq!(check(json!({"type": "boolean"}), Input::Json(&json!([]))).unwrap_err()[0].kind, "bool_type");
    }

    #[test]
    fn infinities_and_nan_are_rejected() {
        for text in ["inf", "-infinity", "NaN"] {
            let errors = check(json!({"type": "number"}), Input::Text(text)).unwrap_err();
            assert_eq!(errors[0].kind, "finite_number", "{text}");
        }
    }

    #[test]
    fn string_length_limits() {
        let bounded = || json!({"type": "string", "minLength": 2, "maxLength": 3});
        assert_eq!(check(bounded(), Input::Text("é")).unwrap_err()[0].msg, "String should have at least 2 characters");
        assert_eq!(check(bounded(), Input::Text("abcd")).unwrap_err()[0].kind, "string_too_long");
        assert_eq!(check(bounded(), Input::Text("ab")), Ok(json!("ab")));
    }

    #[test]
    fn enum_lists_allowed_values() {
        let errors = check(json!({"type": "string", "enum": ["a", "b", "c"]}), Input::Text("d")).unwrap_err();
        assert_eq!(errors[0].kind, "enum");
        assert_eq!(errors[0].msg, "Input should be 'a', 'b' or 'c'");
    }

    #[test]
    fn model_collects_every_error() {
        let model = json!({
            "type": "object", "title": "Order",
            "properties": {"name": {"type": "string"}, "qty": {"type": "integer", "default": 42}},
            "required": ["name"],
        });
        assert_eq!(check(model.clone(), Input::Json(&json!({"name": "x"}))), Ok(json!({"name": "x", "qty": 42})));

        let errors = check(model, Input::Json(&json!({"qty": "many"}))).unwrap_err();
        let kinds: Vec<&str> = errors.iter().map(|error| error.kind).collect();
        assert_eq!(kinds, ["missing", "int_parsing"]);
        assert_eq!(errors[0].input, json!({"qty": "many"}));
        assert_eq!(errors[1].loc, [json!("query"), json!("x"), json!("qty")]);
    }

    #[test]
    fn model_rejects_non_object() {
        let model = json!({"type": "object", "title": "Order", "properties": {}});
        let errors = check(model, Input::Json(&json!([1]))).unwrap_err();
        assert_eq!(errors[0].kind, "model_attributes_type");
    }

    #[test]
    fn optional_accepts_null_and_reports_inner_errors() {
        let optional = || json!({"anyOf": [{"type": "integer"}, {"type": "null"}]});
        assert_eq!(check(optional(), Input::Json(&Value::Null)), Ok(Value::Null));
        assert_eq!(check(optional(), Input::Text("x")).unwrap_err()[0].kind, "int_parsing");
    }
}
