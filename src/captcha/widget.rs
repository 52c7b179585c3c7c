//! The vendor widgets behind one interface (split group `captcha`): Cloudflare Turnstile and reCAPTCHA Enterprise,
//! through their public JavaScript APIs (`render`, `execute`, `getResponse`, `reset`, callbacks). The script is
//! added to the page once, on first use.

use super::WidgetSetup;
use js_sys::{Array, Function, Object, Promise, Reflect};
use sign_in_core::captcha::{CaptchaConfig, CaptchaKind, CaptchaMode, CaptchaProblem};
use std::cell::RefCell;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

/// The setup with its settings decoded and the script to load.
struct Setup {
    config: CaptchaConfig,
    script_url: String,
    language: String,
    dark: bool,
}

fn decode(setup: WidgetSetup) -> Option<Setup> {
    let config = CaptchaConfig::from_value(&setup.config)?;
    let script_url = config.script_url(setup.script_override.as_deref(), &setup.language);
    Some(Setup { config, script_url, language: setup.language, dark: setup.dark })
}

/// A rendered widget: the vendor's id for it, and the element it lives in.
struct Widget {
    id: JsValue,
    container: web_sys::Element,
}

thread_local! {
    /// The script's load, shared by every caller (a failed load is forgotten, so the next call tries again).
    static SCRIPT: RefCell<Option<Promise>> = const { RefCell::new(None) };
    static WIDGET: RefCell<Option<Widget>> = const { RefCell::new(None) };
    /// The invisible Turnstile challenge being run: what its callbacks settle.
    static PENDING: RefCell<Option<(Function, Function)>> = const { RefCell::new(None) };
}

/// Renders the widget into `container` (replacing an earlier one). reCAPTCHA's invisible mode has no widget.
pub fn show(setup: WidgetSetup, container: web_sys::Element) {
    let Some(setup) = decode(setup) else { return };
    wasm_bindgen_futures::spawn_local(async move {
        if let Ok(vendor) = vendor(&setup).await {
            if !(setup.config.kind == CaptchaKind::RecaptchaEnterprise && setup.config.mode == CaptchaMode::Invisible) {
                let _ = render(&vendor, &setup, container);
            }
        }
    });
}

/// A token from the widget (see `captcha::token`).
pub async fn token(setup: WidgetSetup) -> Result<String, CaptchaProblem> {
    let setup = decode(setup).ok_or(CaptchaProblem::Failed)?;
    let vendor = vendor(&setup).await?;
    let answer = match (setup.config.kind, setup.config.mode) {
        (_, CaptchaMode::Checkbox) => {
            let id = current_widget().ok_or(CaptchaProblem::Unsolved)?;
            let response = call(&vendor, "getResponse", std::slice::from_ref(&id));
            // A token is good once: the next attempt ticks again.
            let _ = call(&vendor, "reset", &[id]);
            return response.ok().and_then(|r| r.as_string()).filter(|r| !r.is_empty()).ok_or(CaptchaProblem::Unsolved);
        }
        (CaptchaKind::Turnstile, CaptchaMode::Invisible) => {
            let id = match current_widget() {
                Some(id) => id,
                None => {
                    let container = detached_container().ok_or(CaptchaProblem::Failed)?;
                    render(&vendor, &setup, container).map_err(|_| CaptchaProblem::Failed)?
                }
            };
            let answer =
                Promise::new(&mut |resolve, reject| PENDING.with(|p| *p.borrow_mut() = Some((resolve, reject))));
            let _ = call(&vendor, "reset", std::slice::from_ref(&id));
            call(&vendor, "execute", &[id]).map_err(|_| CaptchaProblem::Failed)?;
            answer
        }
        (CaptchaKind::RecaptchaEnterprise, CaptchaMode::Invisible) => {
            let options = object(&[("action", "LOGIN".into())]);
            let started = call(&vendor, "execute", &[setup.config.site_key.clone().into(), options.into()]);
            started.ok().and_then(|p| p.dyn_into::<Promise>().ok()).ok_or(CaptchaProblem::Failed)?
        }
    };
    let token = JsFuture::from(answer).await.map_err(|_| CaptchaProblem::Failed)?;
    token.as_string().filter(|t| !t.is_empty()).ok_or(CaptchaProblem::Failed)
}

/// The id of the widget whose box is still in the page.
fn current_widget() -> Option<JsValue> {
    WIDGET.with(|w| w.borrow().as_ref().filter(|w| w.container.is_connected()).map(|w| w.id.clone()))
}

/// The vendor's API object once its script is loaded and ready: `turnstile`, or `grecaptcha.enterprise`.
async fn vendor(setup: &Setup) -> Result<JsValue, CaptchaProblem> {
    let load = SCRIPT.with(|s| s.borrow_mut().get_or_insert_with(|| load_script(&setup.script_url)).clone());
    if JsFuture::from(load).await.is_err() {
        SCRIPT.with(|s| *s.borrow_mut() = None);
        return Err(CaptchaProblem::Failed);
    }
    let global = js_sys::global();
    let vendor = match setup.config.kind {
        CaptchaKind::Turnstile => get(&global, "turnstile"),
        CaptchaKind::RecaptchaEnterprise => {
            let api = get(&get(&global, "grecaptcha"), "enterprise");
            let ready = Promise::new(&mut |resolve, _| drop(call(&api, "ready", &[resolve.into()])));
            JsFuture::from(ready).await.map_err(|_| CaptchaProblem::Failed)?;
            api
        }
    };
    if vendor.is_object() {
        Ok(vendor)
    } else {
        Err(CaptchaProblem::Failed)
    }
}

fn load_script(url: &str) -> Promise {
    Promise::new(&mut |resolve, reject| {
        let Some(document) = web_sys::window().and_then(|w| w.document()) else {
            return drop(reject.call0(&JsValue::NULL));
        };
        let Ok(script) = document.create_element("script") else { return drop(reject.call0(&JsValue::NULL)) };
        let script: web_sys::HtmlScriptElement = script.unchecked_into();
        script.set_src(url);
        script.set_async(true);
        script.set_onload(Some(&resolve));
        script.set_onerror(Some(&reject));
        if let Some(head) = document.head() {
            let _ = head.append_child(&script);
        }
    })
}

/// Renders a widget into `container` with the callbacks the token waits for; it becomes the current one.
fn render(vendor: &JsValue, setup: &Setup, container: web_sys::Element) -> Result<JsValue, JsValue> {
    let settle = |ok: bool| {
        Closure::<dyn Fn(JsValue)>::new(move |value: JsValue| {
            if let Some((resolve, reject)) = PENDING.with(|p| p.borrow_mut().take()) {
                let _ = if ok { resolve.call1(&JsValue::NULL, &value) } else { reject.call1(&JsValue::NULL, &value) };
            }
        })
        .into_js_value()
    };
    let theme = if setup.dark { "dark" } else { "light" };
    let mut options = vec![
        ("sitekey", setup.config.site_key.clone().into()),
        ("theme", theme.into()),
        ("callback", settle(true)),
        ("error-callback", settle(false)),
        ("expired-callback", settle(false)),
    ];
    if setup.config.kind == CaptchaKind::Turnstile {
        options.push(("language", setup.language.clone().into()));
        if setup.config.mode == CaptchaMode::Invisible {
            options.push(("execution", "execute".into()));
            options.push(("appearance", "execute".into()));
        }
    }
    let id = call(vendor, "render", &[container.clone().into(), object(&options).into()])?;
    let previous = WIDGET.with(|w| w.borrow_mut().replace(Widget { id: id.clone(), container }));
    if let (Some(previous), CaptchaKind::Turnstile) = (previous, setup.config.kind) {
        let _ = call(vendor, "remove", &[previous.id]);
    }
    Ok(id)
}

/// Where an invisible challenge renders when the screen has no box (it may still need to ask something).
fn detached_container() -> Option<web_sys::Element> {
    let document = web_sys::window()?.document()?;
    let element = document.create_element("div").ok()?;
    element.set_class_name("captcha captcha-invisible");
    document.body()?.append_child(&element).ok()?;
    Some(element)
}

fn get(target: &JsValue, key: &str) -> JsValue {
    Reflect::get(target, &key.into()).unwrap_or(JsValue::UNDEFINED)
}

fn call(target: &JsValue, method: &str, args: &[JsValue]) -> Result<JsValue, JsValue> {
    let function: Function = get(target, method).dyn_into()?;
    function.apply(target, &args.iter().collect::<Array>())
}

fn object(entries: &[(&str, JsValue)]) -> Object {
    let object = Object::new();
    for (key, value) in entries {
        let _ = Reflect::set(&object, &(*key).into(), value);
    }
    object
}
