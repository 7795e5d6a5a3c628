//! Function apps: components exporting the `fnhost:function` world, whose typed
//! endpoints the host maps HTTP requests onto.

pub mod app;
pub mod args;
pub mod bindings;
pub mod body;
pub mod endpoint;
pub mod openapi;
pub mod schema;
pub mod urlencoded;
pub mod validate;

pub use app::FunctionApp;
