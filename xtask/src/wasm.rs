//! The WebAssembly half of the pipeline: cargo build, `target_features` patch, wasm-bindgen, wasm-opt.
//!
//! Why the feature patch: the prebuilt std is compiled with reference-types and multivalue, so the linked module's
//! `target_features` section advertises them even though `.cargo/config.toml` builds our crates with
//! `-C target-cpu=mvp`. wasm-bindgen 0.2.130 reads that section and would switch on its externref and multi-value
//! transforms, which (a) fail against the mvp-built runtime crate (wasm-bindgen#4716) and (b) produce a module with two
//! tables / multi-value returns that wasm2js cannot translate. Flipping `+` to `-` for those two features makes
//! wasm-bindgen use its JS-heap mode, so ONE bindgen run serves both engines.

use crate::split;
use crate::tools::{self, npm_cmd};
use anyhow::{bail, ensure, Context, Result};
use std::path::{Path, PathBuf};

pub const TARGET: &str = "wasm32-unknown-unknown";
pub const PROFILE: &str = "wasm-release";
pub const CRATE: &str = "sign-in-page";
/// wasm-bindgen names its files after the input's stem; we feed it `sign_in_page.wasm`.
pub const STEM: &str = "sign_in_page";
/// With the bundler target wasm-bindgen names the module's imports from the glue after the glue file.
pub const BINDGEN_GLUE_MODULE: &str = "./sign_in_page_bg.js";
/// What the pipeline renames that module to (`import_names.rs`): the name is spelled once per import.
pub const GLUE_MODULE: &str = "g";
/// Features whose `+` is flipped to `-` in `target_features`.
pub const FLIP_FEATURES: &[&str] = &["reference-types", "multivalue"];

/// Step 2: `cargo build` of the app for wasm32. Returns the path of the linked module.
pub fn cargo_build(root: &Path) -> Result<PathBuf> {
    cargo_build_with(root, &[], None)
}

/// `cargo build` with cargo features, into another target directory (so that a gallery build never overwrites the
/// normal build's module while another process reads it).
pub fn cargo_build_with(root: &Path, features: &[&str], target_dir: Option<&Path>) -> Result<PathBuf> {
    let mut cmd = tools::cargo();
    cmd.current_dir(root).args(["build", "-p", CRATE, "--target", TARGET, "--profile", PROFILE]);
    if !features.is_empty() {
        cmd.args(["--features", &features.join(",")]);
    }
    if let Some(dir) = target_dir {
        cmd.arg("--target-dir").arg(dir);
    }
    // RUSTFLAGS would replace `.cargo/config.toml`'s `-C target-cpu=mvp`, which the JS engine depends on.
    for var in ["RUSTFLAGS", "CARGO_ENCODED_RUSTFLAGS"] {
        if std::env::var_os(var).is_some() {
            eprintln!("xtask: ignoring {var} for the wasm build (it would drop -C target-cpu=mvp)");
            cmd.env_remove(var);
        }
    }
    tools::run(&mut cmd)?;
    // Where cargo put it: `--target-dir`, else `CARGO_TARGET_DIR` (relative to the root, as cargo reads it), else
    // the workspace's `target/`.
    let default_dir = std::env::var_os("CARGO_TARGET_DIR").map_or_else(|| root.join("target"), |d| root.join(d));
    let out = target_dir
        .map(Path::to_path_buf)
        .unwrap_or(default_dir)
        .join(TARGET)
        .join(PROFILE)
        .join(format!("{CRATE}.wasm"));
    ensure!(out.exists(), "cargo build succeeded but {} is missing", out.display());
    Ok(out)
}

pub fn read_leb_u32(b: &[u8], pos: &mut usize) -> Result<u32> {
    let mut result: u64 = 0;
    let mut shift = 0;
    loop {
        let Some(&byte) = b.get(*pos) else { bail!("truncated LEB128 at byte {}", *pos) };
        *pos += 1;
        result |= u64::from(byte & 0x7f) << shift;
        if byte & 0x80 == 0 {
            break;
        }
        shift += 7;
        ensure!(shift < 35, "LEB128 too long at byte {}", *pos);
    }
    u32::try_from(result).context("LEB128 value exceeds u32")
}

pub fn read_name<'a>(b: &'a [u8], pos: &mut usize) -> Result<&'a [u8]> {
    let len = read_leb_u32(b, pos)? as usize;
    let end = pos.checked_add(len).filter(|&e| e <= b.len()).context("name runs past its section")?;
    let s = &b[*pos..end];
    *pos = end;
    Ok(s)
}

pub fn write_leb(mut value: usize, out: &mut Vec<u8>) {
    loop {
        let byte = (value & 0x7f) as u8;
        value >>= 7;
        if value == 0 {
            out.push(byte);
            return;
        }
        out.push(byte | 0x80);
    }
}

/// A section of a wasm module: id, and the byte range of its payload.
#[derive(Debug, Clone, Copy)]
pub struct Section {
    pub id: u8,
    pub start: usize,
    pub end: usize,
}

/// Walks the top-level section list (validating header and sizes).
pub fn sections(wasm: &[u8]) -> Result<Vec<Section>> {
    ensure!(wasm.len() >= 8 && &wasm[..4] == b"\0asm", "not a wasm module (bad magic)");
    ensure!(wasm[4..8] == [1, 0, 0, 0], "unsupported wasm version {:?}", &wasm[4..8]);
    let mut pos = 8;
    let mut out = Vec::new();
    while pos < wasm.len() {
        let id = wasm[pos];
        pos += 1;
        let size = read_leb_u32(wasm, &mut pos)? as usize;
        let end = pos.checked_add(size).filter(|&e| e <= wasm.len()).context("section runs past the end")?;
        out.push(Section { id, start: pos, end });
        pos = end;
    }
    Ok(out)
}

/// Step 3: in the `target_features` custom section, turns `+feature` into `-feature` for each of `features`.
/// Same length, in place. Returns the features that were actually flipped. Fails if the section is malformed.
pub fn patch_target_features(wasm: &mut [u8], features: &[&str]) -> Result<Vec<String>> {
    let mut flipped = Vec::new();
    let mut found = false;
    for s in sections(wasm)? {
        if s.id != 0 {
            continue;
        }
        let mut pos = s.start;
        let name = read_name(&wasm[..s.end], &mut pos)?;
        if name != b"target_features" {
            continue;
        }
        ensure!(!found, "two target_features sections");
        found = true;
        let count = read_leb_u32(&wasm[..s.end], &mut pos)?;
        for _ in 0..count {
            let prefix_at = pos;
            let prefix = *wasm.get(pos).filter(|_| pos < s.end).context("truncated target_features entry")?;
            pos += 1;
            ensure!(matches!(prefix, b'+' | b'-' | b'='), "unexpected target_features prefix {:?}", prefix as char);
            let feature =
                std::str::from_utf8(read_name(&wasm[..s.end], &mut pos)?).context("non-UTF-8 feature name")?.to_owned();
            if prefix == b'+' && features.contains(&feature.as_str()) {
                wasm[prefix_at] = b'-';
                flipped.push(feature);
            }
        }
        ensure!(pos == s.end, "trailing bytes in target_features");
    }
    Ok(flipped)
}

/// Step 4: one wasm-bindgen run, bundler target, no TypeScript. Writes `<out>/sign_in_page_bg.{js,wasm}`.
pub fn bindgen(input: &Path, out_dir: &Path) -> Result<()> {
    if out_dir.exists() {
        std::fs::remove_dir_all(out_dir).with_context(|| format!("clearing {}", out_dir.display()))?;
    }
    // The split's exports (memory, table, stack pointer, under the names the chunks import) must survive.
    wasm_bindgen_cli_support::Bindgen::new()
        .input_path(input)
        .out_name(STEM)
        .keep_lld_exports(true)
        .bundler(true)?
        .typescript(false)
        .generate(out_dir)
        .context("wasm-bindgen failed")?;
    ensure!(
        !out_dir.join("snippets").exists(),
        "wasm-bindgen emitted snippets/ (inline_js or module imports); the site builder does not ship them yet"
    );
    Ok(())
}

/// Step 5: `wasm-opt -Oz`, repeated until it stops shrinking the module (`--converge`: ~0.3 KB brotli off the main
/// module). Names, producer info and the target features are stripped: they only cost bytes in the browser (wasm2js
/// gets its features listed, `js_engine.rs`).
pub fn optimize(root: &Path, input: &Path, output: &Path) -> Result<()> {
    let mut c = npm_cmd(
        root,
        "wasm-opt",
        ["-Oz", "--converge", "--strip-debug", "--strip-producers", "--strip-target-features"],
    )?;
    c.arg(input).arg("-o").arg(output);
    tools::output(&mut c)?;
    Ok(())
}

/// Facts about a module that the engines depend on.
#[derive(Debug, Default)]
pub struct ModuleFacts {
    pub import_modules: Vec<String>,
    pub tables: usize,
    pub exports: Vec<String>,
}

pub fn inspect(wasm: &[u8]) -> Result<ModuleFacts> {
    use wasmparser::{Parser, Payload};
    let mut facts = ModuleFacts::default();
    for payload in Parser::new(0).parse_all(wasm) {
        match payload? {
            Payload::ImportSection(r) => {
                for imp in r.into_imports() {
                    let imp = imp?;
                    if matches!(imp.ty, wasmparser::TypeRef::Table(_)) {
                        facts.tables += 1;
                    }
                    if !facts.import_modules.iter().any(|m| m == imp.module) {
                        facts.import_modules.push(imp.module.to_owned());
                    }
                }
            }
            Payload::TableSection(r) => facts.tables += r.count() as usize,
            Payload::ExportSection(r) => {
                for e in r {
                    facts.exports.push(e?.name.to_owned());
                }
            }
            _ => {}
        }
    }
    Ok(facts)
}

/// Guards on the module both engines share: one table (no externref table), imports only from the glue and the chunk
/// loaders, and the exports the chunks import.
pub fn check_shared_module(wasm: &[u8]) -> Result<()> {
    let f = inspect(wasm)?;
    ensure!(
        f.tables <= 1,
        "the module has {} tables (externref transform on?): wasm2js supports one: the target_features patch did not take",
        f.tables
    );
    ensure!(
        f.import_modules.iter().all(|m| m == GLUE_MODULE || m == split::LINK_MODULE),
        "the module imports from {:?}; the loader only provides {GLUE_MODULE} and {}",
        f.import_modules,
        split::LINK_MODULE
    );
    for shared in ["memory", "__indirect_function_table"] {
        ensure!(f.exports.iter().any(|e| e == shared), "the main module does not export {shared}: chunks import it");
    }
    ensure!(
        f.exports.iter().any(|e| e == "__wbindgen_start"),
        "the module does not export __wbindgen_start (is the app a bin with main()?)"
    );
    Ok(())
}

/// Guards on a chunk: it imports only the main module's shared items and defines no table of its own.
pub fn check_chunk(stem: &str, wasm: &[u8]) -> Result<()> {
    let f = inspect(wasm)?;
    ensure!(
        f.import_modules.iter().all(|m| m == split::SHARED_MODULE),
        "chunk {stem} imports from {:?}; only {} is provided",
        f.import_modules,
        split::SHARED_MODULE
    );
    ensure!(f.tables <= 1, "chunk {stem} has {} tables", f.tables);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn custom(name: &str, payload: &[u8]) -> Vec<u8> {
        let mut body = Vec::new();
        write_leb(name.len(), &mut body);
        body.extend_from_slice(name.as_bytes());
        body.extend_from_slice(payload);
        let mut s = vec![0u8];
        write_leb(body.len(), &mut s);
        s.extend(body);
        s
    }

    fn features(list: &[(u8, &str)]) -> Vec<u8> {
        let mut p = Vec::new();
        write_leb(list.len(), &mut p);
        for (prefix, name) in list {
            p.push(*prefix);
            write_leb(name.len(), &mut p);
            p.extend_from_slice(name.as_bytes());
        }
        p
    }

    /// A tiny module: header, a type section `() -> ()`, a `producers`-like custom section and `target_features`.
    fn module(feats: &[(u8, &str)]) -> Vec<u8> {
        let mut m = b"\0asm\x01\0\0\0".to_vec();
        m.extend_from_slice(&[1, 4, 1, 0x60, 0, 0]); // type section
                                                     // A custom section whose payload happens to contain "+reference-types": must be left alone.
        m.extend(custom("other", b"\x10+reference-types"));
        m.extend(custom("target_features", &features(feats)));
        m
    }

    #[test]
    fn flips_only_the_listed_plus_features() {
        let mut m = module(&[
            (b'+', "bulk-memory"),
            (b'+', "multivalue"),
            (b'-', "atomics"),
            (b'+', "reference-types"),
            (b'+', "sign-ext"),
        ]);
        let before = m.clone();
        let flipped = patch_target_features(&mut m, FLIP_FEATURES).unwrap();
        assert_eq!(flipped, ["multivalue", "reference-types"]);
        assert_eq!(
            m,
            module(&[
                (b'+', "bulk-memory"),
                (b'-', "multivalue"),
                (b'-', "atomics"),
                (b'-', "reference-types"),
                (b'+', "sign-ext"),
            ])
        );
        // Exactly two bytes differ, and the decoy section is intact.
        assert_eq!(before.iter().zip(&m).filter(|(a, b)| a != b).count(), 2);
        // Idempotent.
        assert!(patch_target_features(&mut m, FLIP_FEATURES).unwrap().is_empty());
    }

    #[test]
    fn module_without_the_section_is_unchanged() {
        let mut m = b"\0asm\x01\0\0\0".to_vec();
        m.extend_from_slice(&[1, 4, 1, 0x60, 0, 0]);
        let before = m.clone();
        assert!(patch_target_features(&mut m, FLIP_FEATURES).unwrap().is_empty());
        assert_eq!(m, before);
    }

    #[test]
    fn rejects_malformed_input() {
        assert!(patch_target_features(&mut b"\0asm\x02\0\0\0".to_vec(), FLIP_FEATURES).is_err());
        assert!(patch_target_features(&mut b"not wasm".to_vec(), FLIP_FEATURES).is_err());
        let mut truncated = module(&[(b'+', "multivalue")]);
        truncated.pop();
        assert!(patch_target_features(&mut truncated, FLIP_FEATURES).is_err());
        let mut bad_prefix = module(&[(b'?', "multivalue")]);
        assert!(patch_target_features(&mut bad_prefix, FLIP_FEATURES).is_err());
    }

    #[test]
    fn inspects_imports_and_tables() {
        // (import "g" "f" (func (type 0))) + one table.
        let mut m = b"\0asm\x01\0\0\0".to_vec();
        m.extend_from_slice(&[1, 4, 1, 0x60, 0, 0]);
        let mut imp = vec![1];
        write_leb(GLUE_MODULE.len(), &mut imp);
        imp.extend_from_slice(GLUE_MODULE.as_bytes());
        imp.extend_from_slice(&[1, b'f', 0, 0]);
        m.push(2);
        write_leb(imp.len(), &mut m);
        m.extend(imp);
        m.extend_from_slice(&[4, 4, 1, 0x70, 0, 1]); // table section: funcref, min 1
        let f = inspect(&m).unwrap();
        assert_eq!(f.import_modules, [GLUE_MODULE]);
        assert_eq!(f.tables, 1);
    }
}
