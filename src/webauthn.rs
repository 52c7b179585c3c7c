//! WebAuthn ceremonies through the browser's own JSON helpers (`PublicKeyCredential.parse…FromJSON`,
//! `credential.toJSON()`), reached with `Reflect` so no large web-sys feature list is needed. The
//! provider's options go in as JSON and the credential comes out as the payload Logto verifies.

use js_sys::{Function, Object, Promise, Reflect, JSON};
use serde_json::Value;
use sign_in_core::mfa::{webauthn_payload, WebAuthnFailure};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

/// `navigator.credentials.create` with `PublicKeyCredentialCreationOptionsJSON` → the registration payload.
pub async fn create(options: &Value) -> Result<Value, WebAuthnFailure> {
    ceremony("parseCreationOptionsFromJSON", "create", options, None).await
}

/// `navigator.credentials.get` with `PublicKeyCredentialRequestOptionsJSON` → the authentication payload.
pub async fn get(options: &Value) -> Result<Value, WebAuthnFailure> {
    ceremony("parseRequestOptionsFromJSON", "get", options, None).await
}

/// The passkey autofill request (`mediation: "conditional"`): it waits, without a prompt, until the person
/// picks a passkey in the browser's autofill list of a `webauthn` field, or until `abort` fires
/// (`Cancelled`, like a closed prompt).
pub async fn get_conditional(options: &Value, abort: &Abort) -> Result<Value, WebAuthnFailure> {
    ceremony("parseRequestOptionsFromJSON", "get", options, Some(abort)).await
}

/// Whether the browser may offer passkeys in autofill: it has the ceremonies and
/// `PublicKeyCredential.isConditionalMediationAvailable` (the answer itself comes from
/// [`conditional_mediation_available`]).
pub fn conditional_mediation_possible() -> bool {
    supported() && public_key_credential().and_then(|pkc| method(&pkc, "isConditionalMediationAvailable")).is_some()
}

/// `PublicKeyCredential.isConditionalMediationAvailable()`; false when absent or refused.
pub async fn conditional_mediation_available() -> bool {
    let Some(pkc) = public_key_credential() else { return false };
    let Some(check) = method(&pkc, "isConditionalMediationAvailable") else { return false };
    let Ok(promise) = check.call0(&pkc).and_then(|p| p.dyn_into::<Promise>()) else {
        return false;
    };
    JsFuture::from(promise).await.is_ok_and(|answer| answer.as_bool() == Some(true))
}

/// An `AbortController` (built through `Reflect`, like the rest of this module) for a pending request.
#[derive(Clone, Debug)]
pub struct Abort(JsValue);

impl Abort {
    pub fn new() -> Option<Self> {
        let window = web_sys::window()?;
        let constructor =
            Reflect::get(&window, &JsValue::from_str("AbortController")).ok()?.dyn_into::<Function>().ok()?;
        Reflect::construct(&constructor, &js_sys::Array::new()).ok().map(Self)
    }

    /// Aborts the request (again: no effect).
    pub fn abort(&self) {
        if let Some(abort) = method(&self.0, "abort") {
            let _ = abort.call0(&self.0);
        }
    }

    pub fn is(&self, other: &Abort) -> bool {
        self.0 == other.0
    }

    fn signal(&self) -> Option<JsValue> {
        Reflect::get(&self.0, &JsValue::from_str("signal")).ok()
    }
}

/// Whether this browser can run the ceremonies (WebAuthn and its JSON helpers).
pub fn supported() -> bool {
    public_key_credential().is_some_and(|pkc| {
        method(&pkc, "parseRequestOptionsFromJSON").is_some() && method(&pkc, "parseCreationOptionsFromJSON").is_some()
    })
}

fn public_key_credential() -> Option<JsValue> {
    let window = web_sys::window()?;
    Reflect::get(&window, &JsValue::from_str("PublicKeyCredential")).ok().filter(|v| !v.is_undefined() && !v.is_null())
}

fn method(target: &JsValue, name: &str) -> Option<Function> {
    Reflect::get(target, &JsValue::from_str(name)).ok()?.dyn_into::<Function>().ok()
}

/// A DOMException (or any thrown value) as a failure kind, by its `name`.
fn failure(error: JsValue) -> WebAuthnFailure {
    let name = Reflect::get(&error, &JsValue::from_str("name")).ok().and_then(|n| n.as_string()).unwrap_or_default();
    WebAuthnFailure::from_error_name(&name)
}

async fn ceremony(
    parser: &str,
    call: &str,
    options: &Value,
    conditional: Option<&Abort>,
) -> Result<Value, WebAuthnFailure> {
    let window = web_sys::window().ok_or(WebAuthnFailure::Unsupported)?;
    let pkc = public_key_credential().ok_or(WebAuthnFailure::Unsupported)?;
    let parse = method(&pkc, parser).ok_or(WebAuthnFailure::Unsupported)?;
    let credentials = Reflect::get(&window.navigator(), &JsValue::from_str("credentials"))
        .map_err(|_| WebAuthnFailure::Unsupported)?;
    let run = method(&credentials, call).ok_or(WebAuthnFailure::Unsupported)?;

    let json = serde_json::to_string(options).map_err(|_| WebAuthnFailure::Failed)?;
    let options_json = JSON::parse(&json).map_err(|_| WebAuthnFailure::Failed)?;
    let public_key = parse.call1(&pkc, &options_json).map_err(failure)?;
    let request = Object::new();
    Reflect::set(&request, &JsValue::from_str("publicKey"), &public_key).map_err(|_| WebAuthnFailure::Failed)?;
    if let Some(abort) = conditional {
        let signal = abort.signal().ok_or(WebAuthnFailure::Unsupported)?;
        Reflect::set(&request, &JsValue::from_str("mediation"), &JsValue::from_str("conditional"))
            .map_err(|_| WebAuthnFailure::Failed)?;
        Reflect::set(&request, &JsValue::from_str("signal"), &signal).map_err(|_| WebAuthnFailure::Failed)?;
    }

    let promise: Promise =
        run.call1(&credentials, &request).map_err(failure)?.dyn_into().map_err(|_| WebAuthnFailure::Failed)?;
    let credential = JsFuture::from(promise).await.map_err(failure)?;
    if credential.is_null() || credential.is_undefined() {
        return Err(WebAuthnFailure::Cancelled);
    }
    let to_json = method(&credential, "toJSON").ok_or(WebAuthnFailure::Unsupported)?;
    let credential_json = to_json.call0(&credential).map_err(failure)?;
    let text = JSON::stringify(&credential_json)
        .map_err(|_| WebAuthnFailure::Failed)?
        .as_string()
        .ok_or(WebAuthnFailure::Failed)?;
    let value = crate::json::parse(&text).ok_or(WebAuthnFailure::Failed)?;
    Ok(webauthn_payload(value))
}

/// Copies text with `navigator.clipboard.writeText`; false when the browser refused.
pub async fn copy_text(text: &str) -> bool {
    let Some(window) = web_sys::window() else { return false };
    let Ok(clipboard) = Reflect::get(&window.navigator(), &JsValue::from_str("clipboard")) else { return false };
    let Some(write) = method(&clipboard, "writeText") else { return false };
    let Ok(promise) = write.call1(&clipboard, &JsValue::from_str(text)) else { return false };
    match promise.dyn_into::<Promise>() {
        Ok(promise) => JsFuture::from(promise).await.is_ok(),
        Err(_) => false,
    }
}
