//! Lazy screens: cuts the linked module at the app's `#[wasm_split]` functions (`src/screens.rs`) with
//! `wasm_split_cli_support`, before wasm-bindgen. Out come the main module, which imports one loader function per
//! split group from [`LINK_MODULE`], and the chunks, which import the main module's memory, table, stack pointer and
//! shared functions (through the table) from `__wasm_split`. The tool's own JS link module assumes a bundler or
//! its `initSync`; the page's loader (`src/js/chunks.js`) provides those loaders itself from the manifest built here.

use anyhow::{ensure, Context, Result};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The module name the main module imports its chunk loaders from.
pub const LINK_MODULE: &str = "sign-in-chunks";
/// The module name chunks import the main module's shared items from (fixed by the tool).
pub const SHARED_MODULE: &str = "__wasm_split";

/// The main module's import of a group's loader is this prefix and the group's name (fixed by the tool).
pub const LOADER_PREFIX: &str = "__wasm_split_load_";

/// What the split wrote.
pub struct Split {
    /// The main module, still to go through wasm-bindgen.
    pub main: PathBuf,
    /// Every chunk file, by stem (`split_<group>` or `chunk_<n>`).
    pub chunks: BTreeMap<String, PathBuf>,
    /// Per loader import of the main module (`__wasm_split_load_<group>`): the chunk stems it needs.
    pub loaders: BTreeMap<String, Vec<String>>,
}

pub fn split(input: &[u8], out_dir: &Path) -> Result<Split> {
    if out_dir.exists() {
        std::fs::remove_dir_all(out_dir).with_context(|| format!("clearing {}", out_dir.display()))?;
    }
    std::fs::create_dir_all(out_dir)?;
    let main = out_dir.join("main.wasm");
    let mut opts = wasm_split_cli_support::Options::new(input);
    opts.output_dir = out_dir;
    opts.main_out_path = &main;
    opts.link_name = LINK_MODULE;
    let out = wasm_split_cli_support::transform(opts).map_err(|e| anyhow::anyhow!("wasm-split: {e:?}"))?;
    let chunks: BTreeMap<String, PathBuf> = out
        .split_modules
        .iter()
        .map(|p| Ok((p.file_stem().and_then(|s| s.to_str()).context("chunk without a name")?.to_owned(), p.clone())))
        .collect::<Result<_>>()?;
    let loaders: BTreeMap<String, Vec<String>> =
        out.prefetch_map.into_iter().map(|(group, stems)| (format!("{LOADER_PREFIX}{group}"), stems)).collect();
    ensure!(!loaders.is_empty(), "wasm-split found no split point: src/screens.rs has #[wasm_split] functions");
    for (loader, stems) in &loaders {
        for stem in stems {
            ensure!(chunks.contains_key(stem), "{loader} needs {stem}, which wasm-split did not write");
        }
    }
    Ok(Split { main, chunks, loaders })
}
