//! The loader's direct sign-in (JavaScript) writes storage the app reads and reads One Tap's landing cookie:
//! `src/js/storage-keys.js` must name every key exactly as `storage_keys` (and `one_tap`) does.

use sign_in_core::{one_tap, storage_keys};
use std::collections::BTreeMap;

/// `export const NAME = 'value';` and `export const name = (arg) => \`…${arg}…\`;` (applied to `"X"`), by name.
fn js_keys() -> BTreeMap<String, String> {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../src/js/storage-keys.js");
    let source = std::fs::read_to_string(path).expect("src/js/storage-keys.js");
    let mut keys = BTreeMap::<String, String>::new();
    for line in source.lines() {
        let Some(rest) = line.strip_prefix("export const ") else { continue };
        let (name, value) = rest.trim_end_matches(';').split_once(" = ").expect("export const NAME = …;");
        let value = if let Some(quoted) = value.strip_prefix('\'') {
            quoted.trim_end_matches('\'').to_owned()
        } else {
            let (params, body) = value.split_once(" => ").expect("an arrow function");
            let param = params.trim_matches(|c| c == '(' || c == ')');
            let mut text = body.trim_matches('`').replace(&format!("${{{param}}}"), "X");
            for (constant, constant_value) in &keys {
                text = text.replace(&format!("${{{constant}}}"), constant_value);
            }
            assert!(!text.contains("${"), "{name}: unresolved placeholder in {text}");
            text
        };
        keys.insert(name.to_owned(), value);
    }
    keys
}

#[test]
fn javascript_and_rust_name_the_same_keys() {
    let rust: BTreeMap<String, String> = [
        ("APP_ID", storage_keys::APP_ID.to_owned()),
        ("ORGANIZATION_ID", storage_keys::ORGANIZATION_ID.to_owned()),
        ("UI_LOCALES", storage_keys::UI_LOCALES.to_owned()),
        ("NOTICE", storage_keys::NOTICE.to_owned()),
        ("FALLBACK_BUNDLE_PREFIX", storage_keys::FALLBACK_BUNDLE_PREFIX.to_owned()),
        ("socialState", storage_keys::social_state("X")),
        ("verificationIds", storage_keys::verification_ids("X")),
        ("fallbackBundle", storage_keys::fallback_bundle("X")),
        ("ONE_TAP_CREDENTIAL_COOKIE", one_tap::LANDING_COOKIE.to_owned()),
    ]
    .into_iter()
    .map(|(name, value)| (name.to_owned(), value))
    .collect();
    assert_eq!(js_keys(), rust);
}
