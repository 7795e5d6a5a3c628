//! HTTP errors the host returns: a fixed status per case and a JSON body in
//! FastAPI's shape, `{"detail": …}`.

use axum::response::{IntoResponse, Response};
use http::{HeaderValue, StatusCode, header};
use serde_json::{Value, json};

use crate::function::validate::ValidationError;
use crate::runtime::pool::AcquireError;

/// An error returned to the client.
#[derive(Debug, thiserror::Error)]
pub enum HttpError {
    /// No app, endpoint or route matches.
    #[error("{0}")]
    NotFound(String),
    /// The route exists but not for this method.
    #[error("method not allowed")]
    MethodNotAllowed {
        /// Methods the route accepts.
        allow: Vec<http::Method>,
    },
    /// The body could not be read.
    #[error("{0}")]
    BadRequest(String),
    /// The client sent the body too slowly.
    #[error("request body was not received within {0} seconds")]
    RequestTimeout(f64),
    /// The body is larger than the limit.
    #[error("request body is larger than the limit of {limit} bytes")]
    PayloadTooLarge {
        /// The limit in bytes.
        limit: usize,
    },
    /// The body's content type is not one the endpoint reads.
    #[error("{0}")]
    UnsupportedMediaType(String),
    /// Arguments failed validation.
    #[error("{} invalid values", .0.len())]
    Invalid(Vec<ValidationError>),
    /// The guest trapped, panicked or returned an invalid response.
    #[error("{0}")]
    GuestFailed(String),
    /// No instance could be had in time.
    #[error("{0}")]
    Overloaded(String),
    /// The call ran past its time limit.
    #[error("{0}")]
    Timeout(String),
}

impl HttpError {
    /// Returns the status code of this case.
    pub fn status(&self) -> StatusCode {
        match self {
            HttpError::NotFound(_) => StatusCode::NOT_FOUND,
            HttpError::MethodNotAllowed { .. } => StatusCode::METHOD_NOT_ALLOWED,
            HttpError::BadRequest(_) => StatusCode::BAD_REQUEST,
            HttpError::RequestTimeout(_) => StatusCode::REQUEST_TIMEOUT,
            HttpError::PayloadTooLarge { .. } => StatusCode::PAYLOAD_TOO_LARGE,
            HttpError::UnsupportedMediaType(_) => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            HttpError::Invalid(_) => StatusCode::UNPROCESSABLE_ENTITY,
            HttpError::GuestFailed(_) => StatusCode::INTERNAL_SERVER_ERROR,
            HttpError::Overloaded(_) => StatusCode::SERVICE_UNAVAILABLE,
            HttpError::Timeout(_) => StatusCode::GATEWAY_TIMEOUT,
        }
    }

    fn detail(&self) -> Value {
        match self {
            HttpError::Invalid(errors) => json!(errors),
            HttpError::MethodNotAllowed { .. } => Value::from("Method Not Allowed"),
            other => Value::from(other.to_string()),
        }
    }
}

impl HttpError {
    /// Describes why app `app` got no instance, and logs the cause.
    pub fn from_acquire(app: &str, error: AcquireError) -> Self {
        match error {
            AcquireError::Overloaded { .. } => {
                tracing::warn!(app, cause = %error, "request rejected");
                HttpError::Overloaded(format!("app `{app}` is overloaded: {error}; retry later"))
            }
            AcquireError::Instantiate(cause) => {
                tracing::error!(app, cause = %format!("{cause:#}"), "failed to create an instance");
                HttpError::Overloaded(format!("app `{app}` could not start an instance; retry later"))
            }
        }
    }
}

impl IntoResponse for HttpError {
    fn into_response(self) -> Response {
        let status = self.status();
        let mut response = (status, axum::Json(json!({ "detail": self.detail() }))).into_response();
        let headers = response.headers_mut();
        match &self {
            HttpError::MethodNotAllowed { allow } => {
                let allow = allow.iter().map(http::Method::as_str).collect::<Vec<_>>().join(", ");
                if let Ok(value) = HeaderValue::from_str(&allow) {
                    headers.insert(header::ALLOW, value);
                }
            }
            HttpError::Overloaded(_) => {
                headers.insert(header::RETRY_AFTER, HeaderValue::from_static("1"));
            }
            _ => {}
        }
        response
    }
}
