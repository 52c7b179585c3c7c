//! Reusable pieces of the screens.

mod branding_header;
mod code_input;
mod custom_content;
mod email_form;
mod error_page;
mod form_error;
mod input_field;
mod layout;
mod other_ways;
mod passkey_button;
mod password_sign_in_form;
mod resend_code;
mod resumable;
mod send_code_button;
mod send_code_form;
mod set_password_form;
mod submit_button;
mod terms;

pub use branding_header::{headline_focus, name_screen, BrandingHeader};
pub use code_input::CodeInput;
pub use custom_content::CustomContent;
pub use email_form::EmailForm;
pub use error_page::ErrorPage;
pub use form_error::FormError;
pub use input_field::{
    focus_first_invalid, focus_when_mounted, AccountNameField, IdentifierField, InputField, Refusal,
};
pub use layout::PageLayout;
pub use other_ways::OtherWays;
pub use passkey_button::{PasskeyButton, PasskeySignInState};
pub use password_sign_in_form::PasswordSignInForm;
pub use resend_code::{resend_countdown, ResendCode, RESEND_AFTER_SECONDS};
pub use resumable::Resumable;
pub use send_code_button::SendCodeButton;
pub use send_code_form::SendCodeForm;
pub use set_password_form::SetPasswordForm;
pub use submit_button::{BusyButton, SubmitButton};
pub use terms::{
    terms_check, terms_click_guard, terms_question_needed, PendingTermsQuestion, Terms, TermsGate, TermsQuestion,
};
