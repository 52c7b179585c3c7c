//! Random identifiers in the formats Logto uses.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use rand_core::{OsRng, RngCore};

pub fn bytes<const N: usize>() -> [u8; N] {
    let mut b = [0u8; N];
    OsRng.fill_bytes(&mut b);
    b
}

/// 43 characters of base64url: oidc-provider's uid / code / token format.
pub fn token43() -> String {
    URL_SAFE_NO_PAD.encode(bytes::<32>())
}

/// Logto's verification ids: 21 characters of `[0-9a-z]`.
pub fn verification_id() -> String {
    const ALPHABET: &[u8] = b"0123456789abcdefghijklmnopqrstuvwxyz";
    bytes::<21>().iter().map(|b| ALPHABET[*b as usize % ALPHABET.len()] as char).collect()
}
