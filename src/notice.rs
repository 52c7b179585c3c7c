//! Non-blocking messages ("toasts") in a polite live region, including ones left by a screen that
//! reloaded the page (direct sign-in fallback) under a sessionStorage key.

use crate::session;
use leptos::prelude::*;
use sign_in_core::storage_keys;

#[derive(Clone, Copy)]
pub struct Notice(RwSignal<Option<String>>);

impl Notice {
    /// Provides the notice, starting with a message carried over from the previous page, if any.
    pub fn provide(translate: impl Fn(&str) -> String) -> Self {
        let notice = Self(RwSignal::new(None));
        notice.take_carried(translate);
        provide_context(notice);
        notice
    }

    /// Shows the message carried to this screen (by a reload, or by a reaction that moved here), if any.
    pub fn take_carried(self, translate: impl Fn(&str) -> String) {
        if let Some(key) = session::get(storage_keys::NOTICE) {
            session::set(storage_keys::NOTICE, None);
            self.show(translate(&key));
        }
    }

    pub fn show(self, text: String) {
        self.0.set(Some(text));
    }

    pub fn text(self) -> Option<String> {
        self.0.get()
    }
}

/// Leaves a notice (a phrase key) for the next screen to show.
pub fn carry(key: &str) {
    session::set(storage_keys::NOTICE, Some(key));
}

pub fn use_notice() -> Notice {
    expect_context::<Notice>()
}
