//! Urlencoded and multipart forms, and file uploads.
//!
//! Every endpoint reads `application/x-www-form-urlencoded` and
//! `multipart/form-data` alike; files need multipart.

use fnhost_sdk::{Form, Model, UploadFile, webhook};
use serde_json::{Value, json};

/// Credentials of the login form.
#[derive(Model)]
struct Login {
    #[field(min_length = 1)]
    username: String,
    #[field(min_length = 3)]
    password: String,
    #[field(default = false)]
    remember: bool,
}

/// Signs in with a form read into a model; the password is never echoed.
#[webhook(method = "POST")]
fn login(form: Form<Login>) -> Value {
    json!({ "username": form.username, "remember": form.remember })
}

/// Reads single form fields: a required name, a bounded quantity with a
/// default, and repeated tags.
#[webhook(method = "POST")]
fn fields(
    #[param(form, min_length = 1)] name: String,
    #[param(form, default = 1, ge = 1, le = 10)] qty: u32,
    #[param(form, default = [])] tags: Vec<String>,
) -> Value {
    json!({ "name": name, "qty": qty, "tags": tags })
}

/// Name, content type and size of an uploaded file.
#[derive(Model)]
struct FileInfo {
    filename: Option<String>,
    content_type: Option<String>,
    size: usize,
}

impl From<&UploadFile> for FileInfo {
    fn from(file: &UploadFile) -> Self {
        FileInfo {
            filename: file.filename.clone(),
            content_type: file.content_type.clone(),
            size: file.size(),
        }
    }
}

/// Describes one uploaded file, sent in the form field `file`.
#[webhook(method = "POST")]
fn upload(file: UploadFile) -> FileInfo {
    FileInfo::from(&file)
}

/// Describes every file sent in the form field `files`.
#[webhook(method = "POST")]
fn uploads(files: Vec<UploadFile>) -> Value {
    let infos: Vec<FileInfo> = files.iter().map(FileInfo::from).collect();
    json!({ "count": infos.len(), "files": infos })
}

/// Stores a text document: a file with a title, an optional attachment and
/// tags, all in one multipart form.
#[webhook(method = "POST")]
fn document(
    #[param(form, min_length = 1, max_length = 100)] title: String,
    #[param(form, default = [])] tags: Vec<String>,
    file: UploadFile,
    attachment: Option<UploadFile>,
) -> Value {
    // A file that is not UTF-8 text has no lines to count, so `lines` is `null`.
    let lines = file.text().ok().map(|text| text.lines().count());
    json!({
        "title": title,
        "tags": tags,
        "file": FileInfo::from(&file),
        "lines": lines,
        "attachment": attachment.as_ref().map(FileInfo::from),
    })
}

fnhost_sdk::export!();
