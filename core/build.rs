//! The page's own English (`phrases/page/en.json`) as a sorted table of dotted keys, so that the page looks its
//! phrases up without parsing JSON at run time (the first screen does not carry a JSON parser: see `src/json.rs`).

use std::fmt::Write;

fn main() {
    const SOURCE: &str = "phrases/page/en.json";
    println!("cargo::rerun-if-changed={SOURCE}");
    let text = std::fs::read_to_string(SOURCE).expect("phrases/page/en.json is readable");
    let tree: serde_json::Value = serde_json::from_str(&text).expect("phrases/page/en.json is JSON");
    let mut entries = Vec::new();
    flatten("", &tree, &mut entries);
    entries.sort();
    let mut out = String::from("/// The page's own English: (dotted key, phrase), sorted by key.\n");
    out.push_str("pub static PAGE_ENGLISH: &[(&str, &str)] = &[\n");
    for (key, phrase) in entries {
        writeln!(out, "    ({key:?}, {phrase:?}),").unwrap();
    }
    out.push_str("];\n");
    let path = std::path::Path::new(&std::env::var("OUT_DIR").unwrap()).join("page_english.rs");
    std::fs::write(path, out).expect("writing page_english.rs");
}

fn flatten(prefix: &str, node: &serde_json::Value, out: &mut Vec<(String, String)>) {
    match node {
        serde_json::Value::Object(map) => {
            for (key, child) in map {
                let path = if prefix.is_empty() { key.clone() } else { format!("{prefix}.{key}") };
                flatten(&path, child, out);
            }
        }
        serde_json::Value::String(phrase) => out.push((prefix.to_owned(), phrase.clone())),
        other => panic!("phrases/page/en.json: {prefix} is {other}, not a phrase"),
    }
}
