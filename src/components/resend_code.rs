use crate::settings::use_settings;
use leptos::ev::MouseEvent;
use leptos::prelude::*;

/// Seconds before a new code may be requested (as Logto's page).
pub const RESEND_AFTER_SECONDS: u32 = 59;

/// A countdown that ticks once a second while the screen is open; set it back to
/// `RESEND_AFTER_SECONDS` after a new code was sent.
pub fn resend_countdown() -> RwSignal<u32> {
    let countdown = RwSignal::new(RESEND_AFTER_SECONDS);
    let ticker = set_interval_with_handle(
        move || countdown.update(|s| *s = s.saturating_sub(1)),
        std::time::Duration::from_secs(1),
    )
    .ok();
    on_cleanup(move || {
        if let Some(ticker) = ticker {
            ticker.clear();
        }
    });
    countdown
}

/// "You can ask for a new code in N s", then the button that asks: disabled and `aria-busy` while `sending` (the
/// caller sets it for as long as the new code is on its way, and clears the old error when it starts).
#[component]
pub fn ResendCode(
    countdown: RwSignal<u32>,
    sending: RwSignal<bool>,
    on_resend: impl Fn(MouseEvent) + Clone + Send + Sync + 'static,
) -> impl IntoView {
    let settings = use_settings();
    view! {
        <p class="verificationCode_resend">
            {move || {
                let seconds = countdown.get();
                if seconds > 0 {
                    settings.phrases.t_with("description.resend_after_seconds", &[("seconds", &seconds.to_string())]).into_any()
                } else {
                    let on_resend = on_resend.clone();
                    let on_click = move |ev| if !sending.get_untracked() { on_resend(ev) };
                    view! {
                        <button
                            class="form_link"
                            type="button"
                            disabled=move || sending.get()
                            aria-busy=move || sending.get().then_some("true")
                            on:click=on_click
                        >
                            {settings.t("action.resend_passcode")}
                        </button>
                    }
                    .into_any()
                }
            }}
        </p>
    }
}
