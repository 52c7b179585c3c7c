//! Skipping work whose inputs did not change: `cargo xtask build` and `serve` on unchanged sources reuse the
//! optimized wasm, the JS engine and the compressed copies instead of recomputing them (minutes on two cores).
//!
//! A result is keyed by the SHA-256 of its inputs and of the xtask binary itself, so a change to the pipeline's own
//! code (a rewrite rule, a flag) invalidates everything it produced.

use anyhow::Result;
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

/// The hex SHA-256 of `parts`, prefixed by the running xtask's own digest.
pub fn key(parts: &[&[u8]]) -> String {
    let mut h = Sha256::new();
    h.update(own_digest());
    for part in parts {
        h.update((part.len() as u64).to_le_bytes());
        h.update(part);
    }
    hex(&h.finalize())
}

fn own_digest() -> &'static [u8] {
    static DIGEST: OnceLock<Vec<u8>> = OnceLock::new();
    DIGEST.get_or_init(|| {
        let exe = std::env::current_exe().and_then(std::fs::read).unwrap_or_default();
        Sha256::digest(&exe).to_vec()
    })
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Runs `produce` (which writes `output`) unless `output` exists and was made from the same `key`; returns
/// whether it ran. The key is stored beside the output (`<output>.key`) only after `produce` succeeded.
pub fn reuse_or(output: &Path, key: &str, produce: impl FnOnce() -> Result<()>) -> Result<bool> {
    let key_file = key_file(output);
    if output.exists() && std::fs::read_to_string(&key_file).is_ok_and(|k| k == key) {
        return Ok(false);
    }
    let _ = std::fs::remove_file(&key_file);
    produce()?;
    crate::tools::write(&key_file, key)?;
    Ok(true)
}

fn key_file(output: &Path) -> PathBuf {
    crate::compress::append_ext(output, "key")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reruns_only_when_the_key_changes() {
        let dir = std::env::temp_dir().join(format!("xtask-cache-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let out = dir.join("out.txt");
        let make = |text: &'static str| {
            let out = out.clone();
            move || crate::tools::write(&out, text)
        };
        assert!(reuse_or(&out, &key(&[b"a"]), make("1")).unwrap());
        assert!(!reuse_or(&out, &key(&[b"a"]), make("2")).unwrap());
        assert_eq!(std::fs::read_to_string(&out).unwrap(), "1");
        assert!(reuse_or(&out, &key(&[b"b"]), make("3")).unwrap());
        assert_eq!(std::fs::read_to_string(&out).unwrap(), "3");
        // A failed run leaves no key behind: the next run tries again.
        assert!(reuse_or(&out, &key(&[b"c"]), || anyhow::bail!("no")).is_err());
        assert!(reuse_or(&out, &key(&[b"c"]), make("4")).unwrap());
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
