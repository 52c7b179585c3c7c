//! Reusable pieces of the screens.

mod branding_header;
mod error_page;
mod input_field;
mod layout;
mod password_sign_in_form;
mod submit_button;

pub use branding_header::BrandingHeader;
pub use error_page::ErrorPage;
pub use input_field::InputField;
pub use layout::PageLayout;
pub use password_sign_in_form::PasswordSignInForm;
pub use submit_button::SubmitButton;
