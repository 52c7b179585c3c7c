use crate::components::FormError;
use crate::components::{BrandingHeader, InputField, SubmitButton};
use crate::sequences::{self, Held};
use crate::session;
use crate::settings::use_settings;
use crate::submit::Step;
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use sign_in_core::api::{InteractionEvent, ProfileBody};
use sign_in_core::profile_fields::{self, FieldType, ProfileField};

/// One input of the form: its field, what was typed (checkboxes: "true"/"false") and its error.
#[derive(Clone)]
struct Input {
    field: ProfileField,
    value: RwSignal<String>,
    error: RwSignal<Option<String>>,
}

/// `/continue/extra-profile`: the tenant's custom profile fields (`customProfileFields`), checked here,
/// then `POST profile {type: "extraProfile", values}` (→ identification when registering) → submit.
#[component]
pub fn ExtraProfile() -> impl IntoView {
    let settings = use_settings();
    let event = session::flow().map_or(InteractionEvent::SignIn, |state| state.event);
    let fields = ProfileField::list(&settings.config.custom_profile_fields);
    let inputs: Vec<Input> = fields
        .iter()
        .flat_map(ProfileField::inputs)
        .map(|field| {
            let initial = match field.kind {
                FieldType::Checkbox => field.config.default_value.clone().unwrap_or_else(|| "false".into()),
                _ => field.config.default_value.clone().unwrap_or_default(),
            };
            Input { field, value: RwSignal::new(initial), error: RwSignal::new(None) }
        })
        .collect();
    let step = Step::new();
    let held = Held::new();
    let (error, pending) = (step.error, step.pending);
    let on_submit = {
        let inputs = inputs.clone();
        move |ev: SubmitEvent| {
            ev.prevent_default();
            let mut valid = true;
            for input in &inputs {
                let problem = input.field.problem(input.value.get_untracked().trim(), &settings.phrases);
                valid &= problem.is_none();
                input.error.set(problem);
            }
            if !valid {
                return;
            }
            let typed = |name: &str| {
                inputs.iter().find(|i| i.field.name == name).map(|i| i.value.get_untracked()).unwrap_or_default()
            };
            let values = profile_fields::values(&fields, typed);
            step.run(move |api| {
                held.run(async move |progress| {
                    sequences::fill_profile(&api, progress, ProfileBody::ExtraProfile { values }, event).await
                })
            });
        }
    };
    let rendered = inputs.into_iter().map(|input| view! { <ProfileInput input /> }).collect_view();
    view! {
        <BrandingHeader title=settings.t("description.continue_with_more_information") />
        <form class="extraProfile_form" novalidate on:submit=on_submit>
            {rendered}
            <FormError error />
            <SubmitButton label=settings.t("action.continue") pending />
        </form>
    }
}

#[component]
fn ProfileInput(input: Input) -> impl IntoView {
    let settings = use_settings();
    let Input { field, value, error } = input;
    let label = if field.required {
        field.display_label()
    } else {
        settings.phrases.t_with("input.label_with_optional", &[("label", &field.display_label())])
    };
    let id = format!("profile-{}", field.name);
    let error_id = format!("{id}-error");
    let described_by = {
        let error_id = error_id.clone();
        move || error.with(Option::is_some).then(|| error_id.clone())
    };
    let invalid = move || error.with(Option::is_some).then_some("true");
    let message =
        move || error.get().map(|text| view! { <p class="field_error" role="alert" id=error_id.clone()>{text}</p> });
    match field.kind {
        FieldType::Checkbox => view! {
            <div class="field field_inputField extraProfile_checkbox" data-invalid=invalid>
                <input
                    id=id.clone()
                    name=field.name.clone()
                    type="checkbox"
                    aria-invalid=invalid
                    aria-describedby=described_by
                    prop:checked=move || value.get() == "true"
                    on:change=move |ev| value.set(event_target_checked(&ev).to_string())
                />
                <label class="field_label" for=id>{label}</label>
                {message}
            </div>
        }
        .into_any(),
        FieldType::Select => {
            let options = field
                .config
                .options
                .iter()
                .map(|o| view! { <option value=o.value.clone()>{o.label.clone().unwrap_or_else(|| o.value.clone())}</option> })
                .collect_view();
            view! {
                <div class="field field_inputField" data-invalid=invalid>
                    <label class="field_label" for=id.clone()>{label}</label>
                    <select
                        class="field_input"
                        id=id
                        name=field.name.clone()
                        aria-invalid=invalid
                        aria-describedby=described_by
                        prop:value=move || value.get()
                        on:change=move |ev| value.set(event_target_value(&ev))
                    >
                        <option value="">"—"</option>
                        {options}
                    </select>
                    {message}
                </div>
            }
            .into_any()
        }
        kind => {
            let input_type = match kind {
                FieldType::Number => "number",
                FieldType::Date => "date",
                FieldType::Url => "url",
                _ => "text",
            };
            view! {
                <InputField
                    name=field.name.clone()
                    label
                    value
                    error
                    input_type
                    autocomplete="off"
                    hint=field.description.clone().unwrap_or_default()
                />
            }
            .into_any()
        }
    }
}
