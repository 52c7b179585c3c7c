//! The sign-in page's pure core: everything that decides, parses or computes, with no browser APIs,
//! so that `cargo test` checks it natively against the Logto 1.42 captures.

pub mod api;
pub mod captcha;
pub mod code_entry;
pub mod color;
pub mod config;
pub mod consent;
pub mod device;
pub mod error_messages;
pub mod failures;
pub mod i18n;
pub mod identifier;
pub mod interaction;
pub mod landing;
pub mod mfa;
pub mod one_tap;
pub mod password_policy;
pub mod profile_fields;
pub mod query;
pub mod route;
pub mod sanitize;
pub mod social;
pub mod ssr;
pub mod storage_keys;
pub mod terms;
pub mod username_policy;
