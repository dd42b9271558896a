//! A fresh clone with nothing beside it must build and pass its tests: no source may
//! name a path that leaves the repository (a sibling folder, an absolute path of the
//! machine it was written on). What the tests need lives in the repository (`eval/`).

mod source;

use std::path::{Component, Path};

/// Built from pieces, so that this file does not trip its own check.
const PARENT: &str = concat!('.', '.');
const SIBLING_SHARED: &str = concat!('.', '.', '/', "shared");
const WORK: &str = concat!('/', "work", '/');

/// Whether `literal`, taken as a path relative to `base` (inside the repository),
/// climbs out of the repository.
fn leaves_repository(literal: &str, base: &Path) -> bool {
    if !literal.split(['/', '\\']).any(|part| part == PARENT) {
        return false;
    }
    let mut depth = base.components().count() as isize;
    for component in Path::new(literal).components() {
        match component {
            Component::ParentDir => {
                depth -= 1;
                if depth < 0 {
                    return true;
                }
            }
            Component::Normal(_) => depth += 1,
            _ => {}
        }
    }
    false
}

/// Every place in `tests/`, `benches/` and `src/` that names a path outside the
/// repository, as `file:line: why`.
fn paths_leaving_the_repository() -> Vec<String> {
    let root = source::root();
    let mut found = Vec::new();
    for dir in ["tests", "benches", "src"] {
        for file in source::rust_files(dir) {
            let file_dir = file
                .parent()
                .and_then(|d| d.strip_prefix(&root).ok())
                .unwrap_or(Path::new(""))
                .to_path_buf();
            for (n, line) in source::lines(&file) {
                let (literals, code) = source::split_line(&line);
                let mut why = Vec::new();
                if line.contains(SIBLING_SHARED) {
                    why.push(format!("names the sibling folder {SIBLING_SHARED}"));
                }
                // `#[path]` and `include_str!` are relative to the file; other paths to
                // the root (the working directory of tests, or joined to
                // CARGO_MANIFEST_DIR).
                let file_relative = code.trim_start().starts_with("#[path")
                    || code.contains("include_str!")
                    || code.contains("include_bytes!");
                let base = if file_relative {
                    file_dir.as_path()
                } else {
                    Path::new("")
                };
                for literal in &literals {
                    if literal.contains(WORK) {
                        why.push(format!("absolute path {literal:?}"));
                    } else if leaves_repository(literal, base) {
                        why.push(format!("path {literal:?} climbs out of the repository"));
                    }
                }
                for why in why {
                    found.push(format!("{}:{n}: {why}", source::shown(&file)));
                }
            }
        }
    }
    // CI may score the matcher on the shared held-out sets beside the repository (its
    // extra bars), but never on a path of the machine the script was written on.
    let ci = root.join(".ci/run");
    for (n, line) in source::lines(&ci) {
        if line.contains(WORK) {
            found.push(format!("{}:{n}: {}", source::shown(&ci), line.trim()));
        }
    }
    found
}

#[test]
fn no_source_names_a_path_outside_the_repository() {
    let found = paths_leaving_the_repository();
    assert!(
        found.is_empty(),
        "paths that a fresh clone does not have (copy what is needed into the repository, e.g. eval/):\n{}",
        found.join("\n")
    );
}

#[test]
fn the_check_sees_paths_that_climb_out_and_allows_those_that_stay() {
    let up = |rest: &str| format!("{PARENT}/{rest}");
    assert!(leaves_repository(
        &up("shared/eval/dev.jsonl"),
        Path::new("")
    ));
    assert!(leaves_repository(&up(&up("x")), Path::new("tests")));
    assert!(!leaves_repository(
        &up("tests/common/fake_discord.rs"),
        Path::new("benches")
    ));
    assert!(!leaves_repository("eval/dev.jsonl", Path::new("")));
    assert!(!leaves_repository("{first}..={last}", Path::new("")));
}

#[test]
fn what_the_tests_read_is_in_the_repository() {
    let root = source::root();
    for needed in [
        "eval/dev.jsonl",
        "eval/seed/backend-web-developer-article.txt",
        "eval/README.md",
        "faq",
        "config/faqbot.toml",
    ] {
        assert!(root.join(needed).exists(), "{needed} is in the repository");
    }
}
