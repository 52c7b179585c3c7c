use crate::session;
use crate::settings::use_settings;
use leptos::html::Input;
use leptos::prelude::*;
use sign_in_core::api::IdentifierType;
use sign_in_core::identifier;

/// A field's value refused by a message shown outside the field (the form's error, e.g. a wrong password): while
/// `shown`, the field is invalid and described by the message `id`; editing the field ends it.
#[derive(Clone, Copy)]
pub struct Refusal {
    pub id: &'static str,
    pub shown: RwSignal<bool>,
}

/// A labelled input whose error is tied to it (`aria-invalid`, `aria-describedby`).
/// With `revealable`, a named toggle shows or hides the value (for passwords).
#[component]
pub fn InputField(
    /// Element id and form field name (Logto's names: `identifier`, `password`, …).
    #[prop(into)]
    name: String,
    label: String,
    value: RwSignal<String>,
    #[prop(into)] error: Signal<Option<String>>,
    #[prop(into)] autocomplete: Signal<&'static str>,
    #[prop(default = "text")] input_type: &'static str,
    #[prop(optional)] revealable: Option<(String, String)>,
    #[prop(optional)] node_ref: NodeRef<Input>,
    #[prop(optional)] autofocus: bool,
    /// A standing hint under the field (e.g. password requirements), also tied by `aria-describedby`.
    #[prop(optional)]
    hint: Option<String>,
    /// A refusal of the value said outside the field.
    #[prop(optional)]
    refusal: Option<Refusal>,
) -> impl IntoView {
    let error_id = format!("{name}-error");
    let hint_id = format!("{name}-hint");
    let refused = move || refusal.filter(|r| r.shown.get()).map(|r| r.id);
    let invalid = move || error.with(Option::is_some) || refused().is_some();
    let described_by = {
        let error_id = error_id.clone();
        let hint_id = hint.is_some().then(|| hint_id.clone());
        move || {
            let ids: Vec<String> = hint_id
                .iter()
                .cloned()
                .chain(error.with(Option::is_some).then(|| error_id.clone()))
                .chain(refused().map(str::to_owned))
                .collect();
            (!ids.is_empty()).then(|| ids.join(" "))
        }
    };
    // `autofocus` only acts on the first page load; screens reached in the app focus their field on mount.
    if autofocus {
        focus_when_mounted(node_ref);
    }
    let revealed = RwSignal::new(false);
    let current_type = move || if revealed.get() { "text" } else { input_type };
    let toggle = revealable.map(|(show, hide)| {
        view! {
            <button
                class="field_toggle"
                type="button"
                aria-pressed=move || if revealed.get() { "true" } else { "false" }
                aria-label=move || if revealed.get() { hide.clone() } else { show.clone() }
                on:click=move |_| revealed.update(|r| *r = !*r)
            >
                <svg viewBox="0 0 24 24" width="20" height="20" aria-hidden="true" focusable="false">
                    <path
                        fill="currentColor"
                        d="M12 5C6.5 5 2.7 9.4 1.5 12c1.2 2.6 5 7 10.5 7s9.3-4.4 10.5-7C21.3 9.4 17.5 5 12 5zm0 11.5a4.5 4.5 0 1 1 0-9 4.5 4.5 0 0 1 0 9zm0-2.5a2 2 0 1 0 0-4 2 2 0 0 0 0 4z"
                    />
                </svg>
            </button>
        }
    });
    view! {
        <div class="field field_inputField" data-invalid=move || invalid().then_some("true")>
            <label class="field_label" for=name.clone()>{label}</label>
            <div class="field_control">
                <input
                    class="field_input"
                    id=name.clone()
                    name=name
                    type=current_type
                    autocomplete=move || autocomplete.get()
                    autofocus=autofocus
                    aria-invalid=move || invalid().then_some("true")
                    aria-describedby=described_by
                    prop:value=move || value.get()
                    on:input=move |ev| {
                        value.set(event_target_value(&ev));
                        if let Some(refusal) = refusal {
                            refusal.shown.set(false);
                        }
                    }
                    node_ref=node_ref
                />
                {toggle}
            </div>
            {hint.map(|text| view! { <p class="field_hint" id=hint_id>{text}</p> })}
            {move || error.get().map(|text| view! { <p class="field_error" role="alert" id=error_id.clone()>{text}</p> })}
        </div>
    }
}

/// The identifier field (Logto's name `identifier`) of a screen that takes `kinds`: its label, `type` and
/// `autocomplete` all follow from the kinds, the same on every screen. `autocomplete` is given where it changes while
/// the screen is up (passkey autofill). The screen is remembered as where the identifier is typed: a code screen's
/// "change" link comes back to it with the identifier, which the field then shows.
#[component]
pub fn IdentifierField(
    kinds: Vec<IdentifierType>,
    value: RwSignal<String>,
    #[prop(into)] error: Signal<Option<String>>,
    #[prop(optional, into)] autocomplete: Option<Signal<&'static str>>,
    #[prop(optional)] node_ref: NodeRef<Input>,
) -> impl IntoView {
    let settings = use_settings();
    if let Some(changing) = session::take_identifier_to_change() {
        value.set(changing);
    }
    session::remember_identifier_screen();
    let autocomplete = autocomplete.unwrap_or_else(|| Signal::stored(identifier::autocomplete(&kinds)));
    view! {
        <InputField
            name="identifier"
            label=identifier::field_label(&kinds, &settings.phrases)
            value
            error
            autocomplete
            input_type=identifier::input_type(&kinds)
            node_ref
            autofocus=true
        />
    }
}

/// The account a password belongs to, on a screen that asks only for a password (the identifier was entered on an
/// earlier screen): a text input that password managers read (`autocomplete="username"`; they ignore
/// `type="hidden"`), hidden from sight by its class and from assistive technology and the keyboard by its attributes.
#[component]
pub fn AccountNameField(value: String) -> impl IntoView {
    view! {
        <input
            class="form_accountName"
            type="text"
            name="username"
            autocomplete="username"
            value=value
            tabindex="-1"
            aria-hidden="true"
        />
    }
}

/// After a form is submitted, once the screen shows what the submit found wrong, focuses the first field (in document
/// order, within `scope`) that is marked invalid, so the person lands on what to fix. Nothing moves when no field is
/// invalid (the submit went ahead).
pub fn focus_first_invalid(scope: web_sys::Element) {
    // Errors are drawn by effects that run after the submit handler; a zero timeout runs after all of them.
    set_timeout(
        move || {
            let Ok(fields) = scope.query_selector_all(r#"[aria-invalid="true"]"#) else { return };
            let active = || web_sys::window().and_then(|w| w.document()).and_then(|d| d.active_element());
            for i in 0..fields.length() {
                let Some(field) = fields.item(i) else { continue };
                let field: web_sys::HtmlElement = wasm_bindgen::JsCast::unchecked_into(field);
                let _ = field.focus();
                // A field that can't take focus (hidden, disabled) passes it on to the next one.
                if active().is_some_and(|element| element == *field) {
                    return;
                }
            }
        },
        std::time::Duration::ZERO,
    );
}

/// Focuses the element once it is in the document.
pub fn focus_when_mounted<E>(node_ref: NodeRef<E>)
where
    E: leptos::html::ElementType,
    E::Output: wasm_bindgen::JsCast + Clone + 'static,
{
    Effect::new(move |_| {
        if let Some(element) = node_ref.get() {
            let element: &web_sys::HtmlElement = wasm_bindgen::JsCast::unchecked_ref(&element);
            let _ = element.focus();
        }
    });
}
