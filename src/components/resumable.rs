use crate::components::ErrorPage;
use crate::settings::use_settings;
use leptos::prelude::*;
use std::rc::Rc;

/// The provider's work on a screen with no form (a magic link, an IdP's answer): one attempt at a time, and when an
/// answer goes missing, a page that says so with a Try again that makes the attempt again in place. The attempt
/// resumes where it stopped (its sequence holds its progress: docs/experience-api.md, Retrying a sequence).
#[derive(Clone, Copy)]
pub struct Resumable {
    attempt: StoredValue<Option<Rc<dyn Fn()>>, LocalStorage>,
    interrupted: RwSignal<Option<String>>,
}

impl Resumable {
    pub fn new() -> Self {
        Self { attempt: StoredValue::new_local(None), interrupted: RwSignal::new(None) }
    }

    /// Makes `attempt` the one Try again repeats, and makes it now.
    pub fn start(self, attempt: impl Fn() + 'static) {
        self.attempt.set_value(Some(Rc::new(attempt)));
        self.retry();
    }

    /// Makes the current attempt again.
    pub fn retry(self) {
        self.interrupted.set(None);
        if let Some(attempt) = self.attempt.get_value() {
            attempt()
        }
    }

    /// The attempt stopped on a lost answer, said with `text`.
    pub fn interrupt(self, text: String) {
        self.interrupted.set(Some(text));
    }

    /// What the screen shows while the provider works (the busy blank, with `busy`'s phrase when given) or after it was
    /// interrupted (tracked).
    pub fn view(self, busy: Option<&'static str>) -> AnyView {
        let settings = use_settings();
        match self.interrupted.get() {
            Some(text) => view! {
                <ErrorPage
                    title=settings.t("error.something_went_wrong")
                    description=text
                    retry=(settings.t("action.try_again"), Callback::new(move |()| self.retry()))
                />
            }
            .into_any(),
            None => view! {
                <div class="page_blank" aria-busy="true">
                    {busy.map(|key| view! { <p class="page_blankText">{settings.t(key)}</p> })}
                </div>
            }
            .into_any(),
        }
    }
}
