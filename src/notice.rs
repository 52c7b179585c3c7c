//! Non-blocking messages ("toasts") in a polite live region, including ones left by a screen that
//! reloaded the page (direct sign-in fallback) under a sessionStorage key.

use crate::session;
use leptos::prelude::*;

/// The sessionStorage key the loader's direct sign-in also writes (a phrase key).
const CARRIED: &str = "sign-in:notice";

#[derive(Clone, Copy)]
pub struct Notice(RwSignal<Option<String>>);

impl Notice {
    /// Provides the notice, starting with a message carried over from the previous page, if any.
    pub fn provide(translate: impl Fn(&str) -> String) -> Self {
        let carried = session::get(CARRIED).map(|key| {
            session::set(CARRIED, None);
            translate(&key)
        });
        let notice = Self(RwSignal::new(carried));
        provide_context(notice);
        notice
    }

    pub fn show(self, text: String) {
        self.0.set(Some(text));
    }

    pub fn text(self) -> Option<String> {
        self.0.get()
    }
}

pub fn use_notice() -> Notice {
    expect_context::<Notice>()
}
