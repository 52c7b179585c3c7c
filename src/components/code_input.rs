use crate::components::focus_when_mounted;
use leptos::html::Input;
use leptos::prelude::*;
use sign_in_core::code_entry::{self, Slots, CODE_LENGTH};

/// Six one-digit boxes named `passcode_0`…`passcode_5` (Logto's names). Typing advances, Backspace goes
/// back, a pasted or autofilled code spreads over the boxes; `on_complete` runs when all six are filled.
#[component]
pub fn CodeInput(
    slots: RwSignal<Slots>,
    /// The group's name ("Verification code").
    legend: String,
    /// Accessible name of each box, by position (1-based).
    digit_labels: Vec<String>,
    #[prop(into)] error: Signal<Option<String>>,
    on_complete: Callback<String>,
) -> impl IntoView {
    let boxes: [NodeRef<Input>; CODE_LENGTH] = std::array::from_fn(|_| NodeRef::new());
    focus_when_mounted(boxes[0]);
    let focus = move |index: usize| {
        if let Some(input) = boxes[index].get_untracked() {
            let _ = input.focus();
        }
    };
    // Emptied after mount (a wrong code, a new code sent): the next digit belongs in the first box.
    Effect::new(move |mounted: Option<()>| {
        let empty = slots.with(|s| s.iter().all(Option::is_none));
        if mounted.is_some() && empty {
            focus(0);
        }
    });
    let inputs = (0..CODE_LENGTH)
        .map(|i| {
            let on_input = move |ev| {
                let raw = event_target_value(&ev);
                let next = slots.try_update(|s| code_entry::enter(s, i, &raw)).unwrap_or(i);
                focus(next);
                if let Some(code) = slots.with_untracked(code_entry::complete) {
                    on_complete.run(code);
                }
            };
            let on_keydown = move |ev: leptos::ev::KeyboardEvent| {
                if ev.key() == "Backspace" && slots.with_untracked(|s| s[i].is_none()) {
                    ev.prevent_default();
                    focus(slots.try_update(|s| code_entry::backspace(s, i)).unwrap_or(i));
                }
            };
            view! {
                <input
                    class="code_box"
                    name=format!("passcode_{i}")
                    inputmode="numeric"
                    // One box takes the browser's one-time-code autofill; the input handler spreads it.
                    autocomplete=if i == 0 { "one-time-code" } else { "off" }
                    aria-label=digit_labels.get(i).cloned().unwrap_or_default()
                    aria-invalid=move || error.with(Option::is_some).then_some("true")
                    aria-describedby=move || error.with(Option::is_some).then_some("code-error")
                    autofocus=i == 0
                    prop:value=move || slots.with(|s| s[i].map(String::from).unwrap_or_default())
                    on:input=on_input
                    on:keydown=on_keydown
                    node_ref=boxes[i]
                />
            }
        })
        .collect_view();
    view! {
        <fieldset class="code_field field_inputField">
            <legend class="field_label">{legend}</legend>
            <div class="code_boxes">{inputs}</div>
            {move || error.get().map(|text| view! { <p class="field_error" role="alert" id="code-error">{text}</p> })}
        </fieldset>
    }
}
