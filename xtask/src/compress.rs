//! Precompressed copies (`.br` brotli q11, `.gz` gzip -9) next to the text assets and the wasm, and the size table.

use anyhow::Result;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

/// Files smaller than this are not worth a precompressed copy.
pub const MIN_SIZE: usize = 1024;
const COMPRESSIBLE: &[&str] = &["html", "js", "mjs", "css", "svg", "json", "txt", "xml", "webmanifest", "wasm", "ico"];

pub fn gzip(data: &[u8]) -> Vec<u8> {
    // mtime 0 and no file name: reproducible output.
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    e.write_all(data).expect("writing to a Vec");
    e.finish().expect("writing to a Vec")
}

pub fn brotli(data: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    {
        let mut w = brotli::CompressorWriter::new(&mut out, 1 << 16, 11, 22);
        w.write_all(data).expect("writing to a Vec");
    }
    out
}

pub fn is_compressible(p: &Path) -> bool {
    p.extension().and_then(|e| e.to_str()).is_some_and(|e| COMPRESSIBLE.contains(&e))
}

/// One row of the size table.
#[derive(Debug, Clone)]
pub struct Sizes {
    pub path: PathBuf,
    pub raw: usize,
    pub gzip: usize,
    pub brotli: usize,
}

/// Compresses every file under `dist` (not already `.gz`/`.br`): writes the copies for compressible files of at
/// least `MIN_SIZE` bytes and returns the sizes of all files (compressed sizes computed in memory for the rest).
/// Compressed copies are kept in `cache` by content, so an unchanged file is not compressed again.
pub fn precompress(dist: &Path, cache: &Path) -> Result<Vec<Sizes>> {
    let mut files = Vec::new();
    walk(dist, &mut files)?;
    files.retain(|p| !matches!(p.extension().and_then(|e| e.to_str()), Some("gz" | "br")));
    files.sort();
    let next = AtomicUsize::new(0);
    let results = Mutex::new(Vec::new());
    let errors = Mutex::new(Vec::new());
    let used = Mutex::new(std::collections::HashSet::new());
    let workers = std::thread::available_parallelism().map_or(2, |n| n.get()).min(files.len().max(1));
    std::thread::scope(|s| {
        for _ in 0..workers {
            s.spawn(|| loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                let Some(path) = files.get(i) else { break };
                let r = (|| -> Result<Sizes> {
                    let data = crate::tools::read(path)?;
                    let (gz, br) = compressed(cache, &data, &used)?;
                    if is_compressible(path) && data.len() >= MIN_SIZE {
                        crate::tools::write(&append_ext(path, "gz"), &gz)?;
                        crate::tools::write(&append_ext(path, "br"), &br)?;
                    }
                    Ok(Sizes { path: path.clone(), raw: data.len(), gzip: gz.len(), brotli: br.len() })
                })();
                match r {
                    Ok(s) => results.lock().unwrap().push(s),
                    Err(e) => errors.lock().unwrap().push(e),
                }
            });
        }
    });
    if let Some(e) = errors.into_inner().unwrap().pop() {
        return Err(e);
    }
    prune(cache, &used.into_inner().unwrap())?;
    let mut rows = results.into_inner().unwrap();
    rows.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(rows)
}

/// The gzip and brotli copies of `data`, from `cache` when they were made before.
fn compressed(
    cache: &Path,
    data: &[u8],
    used: &Mutex<std::collections::HashSet<String>>,
) -> Result<(Vec<u8>, Vec<u8>)> {
    let key = crate::cache::key(&[data]);
    let stem = cache.join(&key);
    used.lock().unwrap().insert(key);
    let (gz_path, br_path) = (append_ext(&stem, "gz"), append_ext(&stem, "br"));
    if let (Ok(gz), Ok(br)) = (std::fs::read(&gz_path), std::fs::read(&br_path)) {
        return Ok((gz, br));
    }
    let (gz, br) = (gzip(data), brotli(data));
    crate::tools::write(&gz_path, &gz)?;
    crate::tools::write(&br_path, &br)?;
    Ok((gz, br))
}

/// Drops the cached copies of files this build no longer has, so the cache holds one build's worth.
fn prune(cache: &Path, used: &std::collections::HashSet<String>) -> Result<()> {
    let Ok(entries) = std::fs::read_dir(cache) else { return Ok(()) };
    for entry in entries {
        let path = entry?.path();
        let stem = path.file_stem().and_then(|s| s.to_str()).unwrap_or_default();
        if !used.contains(stem) {
            std::fs::remove_file(&path)?;
        }
    }
    Ok(())
}

pub fn append_ext(p: &Path, ext: &str) -> PathBuf {
    let mut s = p.as_os_str().to_owned();
    s.push(".");
    s.push(ext);
    PathBuf::from(s)
}

pub fn walk(dir: &Path, out: &mut Vec<PathBuf>) -> Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        if entry.file_type()?.is_dir() {
            walk(&entry.path(), out)?;
        } else {
            out.push(entry.path());
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;

    #[test]
    fn round_trips() {
        let data = "hello hello hello hello ".repeat(100);
        let mut s = String::new();
        flate2::read::GzDecoder::new(&gzip(data.as_bytes())[..]).read_to_string(&mut s).unwrap();
        assert_eq!(s, data);
        let mut s = String::new();
        brotli::Decompressor::new(&brotli(data.as_bytes())[..], 4096).read_to_string(&mut s).unwrap();
        assert_eq!(s, data);
        assert!(is_compressible(Path::new("a/b.wasm")) && !is_compressible(Path::new("logo.png")));
    }
}
