//! Files uploaded in a multipart form.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use serde::Deserialize;
use serde_json::{Value, json};

use crate::{Arg, ParamSource};

/// A file uploaded in a `multipart/form-data` request, read from the form field
/// named after the parameter.
///
/// `Vec<UploadFile>` takes every file of that field, and `Option<UploadFile>`
/// makes the file optional. Other form fields of the same request come through
/// [`Form`](crate::Form) parameters.
///
/// ```
/// use fnhost_sdk::{UploadFile, webhook};
///
/// /// Counts the bytes of an uploaded file.
/// #[webhook(method = "POST")]
/// fn size(file: UploadFile) -> usize {
///     file.size()
/// }
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct UploadFile {
    /// The file name that the client sent, if any.
    pub filename: Option<String>,
    /// The part's `Content-Type`, if any.
    pub content_type: Option<String>,
    /// The file's contents.
    pub data: Vec<u8>,
}

impl UploadFile {
    /// Returns the size of the contents in bytes.
    pub fn size(&self) -> usize {
        self.data.len()
    }

    /// Returns the contents as text, or an error when they are not UTF-8.
    pub fn text(&self) -> Result<&str, std::str::Utf8Error> {
        std::str::from_utf8(&self.data)
    }
}

/// A file as the host passes it in the arguments.
#[derive(Deserialize)]
struct WireFile {
    filename: Option<String>,
    content_type: Option<String>,
    /// The contents in standard base64 with padding, since JSON has no bytes.
    data: String,
}

impl Arg for UploadFile {
    fn schema() -> Value {
        json!({ "type": "string", "format": "binary" })
    }

    fn source() -> ParamSource {
        ParamSource::File
    }

    fn from_arg(value: Value) -> Result<Self, String> {
        let wire: WireFile =
            serde_json::from_value(value).map_err(|err| format!("invalid file: {err}"))?;
        let data = STANDARD
            .decode(wire.data.as_bytes())
            .map_err(|err| format!("invalid base64 in file data: {err}"))?;
        Ok(UploadFile {
            filename: wire.filename,
            content_type: wire.content_type,
            data,
        })
    }
}
