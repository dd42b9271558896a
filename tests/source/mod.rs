//! Reading the repository's own Rust sources, for the tests that guard the house rules
//! (`self_contained.rs`, `architecture.rs`). Line-based and deliberately simple: it
//! understands comments, string literals and paths well enough for `use` lines and
//! `#[path]` attributes, not Rust in general.
#![allow(dead_code)] // each test crate uses its own subset

use std::path::{Path, PathBuf};

/// The repository root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Every `*.rs` file under `dir` (relative to the root), sorted.
pub fn rust_files(dir: &str) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut pending = vec![root().join(dir)];
    while let Some(dir) = pending.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries.filter_map(Result::ok) {
            let path = entry.path();
            if path.is_dir() {
                pending.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                out.push(path);
            }
        }
    }
    out.sort();
    out
}

/// A file's lines, numbered from 1.
pub fn lines(path: &Path) -> Vec<(usize, String)> {
    let text = std::fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    text.lines()
        .enumerate()
        .map(|(n, l)| (n + 1, l.to_string()))
        .collect()
}

/// `path` relative to the root, for messages.
pub fn shown(path: &Path) -> String {
    path.strip_prefix(root())
        .unwrap_or(path)
        .display()
        .to_string()
}

/// The double-quoted string literals on a line (escapes kept as written), and the line
/// with those literals and any `//` comment removed.
pub fn split_line(line: &str) -> (Vec<String>, String) {
    let mut literals = Vec::new();
    let mut code = String::new();
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' => {
                let mut literal = String::new();
                while let Some(c) = chars.next() {
                    match c {
                        '\\' => {
                            literal.push(c);
                            if let Some(next) = chars.next() {
                                literal.push(next);
                            }
                        }
                        '"' => break,
                        c => literal.push(c),
                    }
                }
                literals.push(literal);
                code.push_str("\"\"");
            }
            // A char literal such as '"' must not open a string.
            '\'' if chars.clone().nth(1) == Some('\'') => {
                code.push(c);
                if let Some(inner) = chars.next() {
                    code.push(inner);
                }
            }
            '/' if chars.peek() == Some(&'/') => break,
            c => code.push(c),
        }
    }
    (literals, code)
}
