//! JSON text to values through the browser's own parser (`JSON.parse`), the page's one way to read JSON: storage,
//! the SSR block and the provider's answers. serde_json's parser (with its float tables) would weigh ~4 KB brotli in
//! the first screen's module; reading the parsed object into a `serde_json::Value` costs a fraction of that. Typed
//! reads go through `serde_json::from_value`.

use js_sys::{Array, Object, JSON};
use serde::de::DeserializeOwned;
use serde_json::{Map, Number, Value};
use wasm_bindgen::{JsCast, JsValue};

/// The value of a JSON text; `None` when it is not JSON.
pub fn parse(text: &str) -> Option<Value> {
    JSON::parse(text).ok().map(|parsed| value(&parsed))
}

/// A JSON text read as `T`; `None` when it is not JSON or not a `T`.
pub fn parse_as<T: DeserializeOwned>(text: &str) -> Option<T> {
    serde_json::from_value(parse(text)?).ok()
}

fn value(js: &JsValue) -> Value {
    if let Some(text) = js.as_string() {
        Value::String(text)
    } else if let Some(number) = js.as_f64() {
        self::number(number)
    } else if let Some(flag) = js.as_bool() {
        Value::Bool(flag)
    } else if Array::is_array(js) {
        Value::Array(js.unchecked_ref::<Array>().iter().map(|item| value(&item)).collect())
    } else if js.is_object() {
        let mut map = Map::new();
        for entry in Object::entries(js.unchecked_ref()).iter() {
            let entry = entry.unchecked_into::<Array>();
            map.insert(entry.get(0).as_string().unwrap_or_default(), value(&entry.get(1)));
        }
        Value::Object(map)
    } else {
        Value::Null
    }
}

/// Whole numbers as integers, as serde_json reads `1` (readers ask `as_u64`); other numbers as floats.
fn number(n: f64) -> Value {
    const LIMIT: f64 = 9_007_199_254_740_992.0; // 2^53: every whole number below is exact
    if n.fract() == 0.0 && n.abs() <= LIMIT {
        if n >= 0.0 {
            Value::Number(Number::from(n as u64))
        } else {
            Value::Number(Number::from(n as i64))
        }
    } else {
        Number::from_f64(n).map_or(Value::Null, Value::Number)
    }
}
