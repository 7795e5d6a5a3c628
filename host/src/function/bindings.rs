//! Host bindings of the `fnhost:function` world.

wasmtime::component::bindgen!({
    path: "../guest-sdk/wit",
    world: "function",
    exports: { default: async },
});

pub use self::fnhost::function::types::{Param, ParamSource};
