//! Stand-in for the part of `wasm-streams` 0.5 that `server_fn` names (README.md says why). Nothing here runs in
//! this app: it has no server functions.

use futures_core::Stream;
use std::pin::Pin;
use wasm_bindgen::JsValue;

const UNUSED: &str =
    "streaming server functions are not available: wasm-streams is stood in for (patches/wasm-streams)";

/// A `ReadableStream` seen from Rust.
pub struct ReadableStream(web_sys::ReadableStream);

impl ReadableStream {
    pub fn from_raw(raw: web_sys::ReadableStream) -> Self {
        Self(raw)
    }

    pub fn into_raw(self) -> web_sys::ReadableStream {
        self.0
    }

    pub fn from_stream<St>(_stream: St) -> Self
    where
        St: Stream<Item = Result<JsValue, JsValue>> + 'static,
    {
        panic!("{UNUSED}")
    }

    pub fn into_stream(self) -> Pin<Box<dyn Stream<Item = Result<JsValue, JsValue>>>> {
        panic!("{UNUSED}")
    }
}
