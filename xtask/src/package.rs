//! `dist.zip` for Logto Cloud "Bring your UI": index.html at the root, ≤ 200 files, zip ≤ 20 MB, no file > 10 MB.
//! Logto's blob server does not negotiate encodings, so the precompressed copies stay out (and so do source maps).

use anyhow::{bail, ensure, Context, Result};
use std::io::Write;
use std::path::Path;

pub const MAX_FILES: usize = 200;
pub const MAX_FILE_BYTES: u64 = 10 * 1000 * 1000;
pub const MAX_ZIP_BYTES: u64 = 20 * 1000 * 1000;

/// Whether a dist file goes into the zip.
pub fn included(rel: &str) -> bool {
    !(rel.ends_with(".gz") || rel.ends_with(".br") || rel.ends_with(".map"))
}

/// Checks the entry list (relative path, size) before zipping. Limits use decimal MB, the stricter reading.
pub fn check_entries(entries: &[(String, u64)]) -> Result<()> {
    ensure!(
        entries.iter().any(|(p, _)| p == "index.html"),
        "Bring your UI needs index.html at the zip root; dist/ has none"
    );
    ensure!(
        entries.len() <= MAX_FILES,
        "Bring your UI allows at most {MAX_FILES} files; the zip would have {}",
        entries.len()
    );
    let big: Vec<_> = entries.iter().filter(|(_, s)| *s > MAX_FILE_BYTES).collect();
    if !big.is_empty() {
        bail!("Bring your UI allows no file over {MAX_FILE_BYTES} bytes; too big: {big:?}");
    }
    Ok(())
}

pub fn check_zip_size(size: u64) -> Result<()> {
    ensure!(size <= MAX_ZIP_BYTES, "dist.zip is {size} bytes; Bring your UI allows at most {MAX_ZIP_BYTES}");
    Ok(())
}

/// Writes `zip_path` from `dist` and returns (file count, zip bytes). Fails on any broken limit.
pub fn package(dist: &Path, zip_path: &Path) -> Result<(usize, u64)> {
    let mut files = Vec::new();
    crate::compress::walk(dist, &mut files)?;
    let mut entries = Vec::new();
    for f in &files {
        let rel = f.strip_prefix(dist)?.to_str().context("non-UTF-8 file name in dist/")?.replace('\\', "/");
        if included(&rel) {
            entries.push((rel, std::fs::metadata(f)?.len()));
        }
    }
    entries.sort();
    check_entries(&entries)?;

    let tmp = zip_path.with_extension("zip.tmp");
    let mut zip =
        zip::ZipWriter::new(std::fs::File::create(&tmp).with_context(|| format!("creating {}", tmp.display()))?);
    // Fixed timestamps: the same dist gives the same zip.
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .compression_level(Some(9))
        .last_modified_time(zip::DateTime::default())
        .unix_permissions(0o644);
    for (rel, _) in &entries {
        zip.start_file(rel.as_str(), opts)?;
        zip.write_all(&crate::tools::read(&dist.join(rel))?)?;
    }
    zip.finish()?;
    let size = std::fs::metadata(&tmp)?.len();
    if let Err(e) = check_zip_size(size) {
        let _ = std::fs::remove_file(&tmp);
        return Err(e);
    }
    std::fs::rename(&tmp, zip_path)?;
    Ok((entries.len(), size))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entries(n: usize) -> Vec<(String, u64)> {
        let mut v = vec![("index.html".to_string(), 1000)];
        v.extend((1..n).map(|i| (format!("assets/f{i}.js"), 10)));
        v
    }

    #[test]
    fn limits() {
        assert!(check_entries(&entries(200)).is_ok());
        assert!(check_entries(&entries(201)).is_err());
        assert!(check_entries(&[("assets/index.html".into(), 1)]).is_err());
        let mut big = entries(3);
        big[1].1 = MAX_FILE_BYTES + 1;
        assert!(check_entries(&big).is_err());
        big[1].1 = MAX_FILE_BYTES;
        assert!(check_entries(&big).is_ok());
        assert!(check_zip_size(MAX_ZIP_BYTES).is_ok());
        assert!(check_zip_size(MAX_ZIP_BYTES + 1).is_err());
    }

    #[test]
    fn excludes_precompressed_and_maps() {
        assert!(included("index.html") && included("assets/app-1.wasm"));
        assert!(!included("assets/app-1.wasm.br") && !included("index.html.gz") && !included("assets/a.js.map"));
    }
}
