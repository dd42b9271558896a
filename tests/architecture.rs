//! Dependencies run one way: the binary's CLI → `startup` → `discord` / `ops` /
//! `learning` (a leaf service; `ops` and `discord` may use it) → the core
//! (`knowledge`, `matcher`, `reply`, `links`, `store`, `limits`, `config`, `telemetry`).
//! The compiler allows a cycle inside one crate; this test does not. It reads the
//! sources and fails naming the file and line that points the wrong way.

mod source;

use std::path::Path;

/// The module path of a library source file, e.g. `src/discord/handler.rs` →
/// `["discord", "handler"]`.
fn module_of(file: &Path) -> Vec<String> {
    let relative = file
        .strip_prefix(source::root().join("src"))
        .expect("a file under src/");
    let mut parts: Vec<String> = relative
        .iter()
        .map(|p| p.to_string_lossy().trim_end_matches(".rs").to_string())
        .collect();
    if parts.last().is_some_and(|p| p == "mod" || p == "lib") {
        parts.pop();
    }
    parts
}

/// The top-level modules of this crate that a line of code names, through `crate::`,
/// `super::` or `self::` paths (and `use crate::{a, b}` groups).
fn modules_named(code: &str, module: &[String]) -> Vec<String> {
    let mut named = Vec::new();
    let bytes: Vec<char> = code.chars().collect();
    let mut i = 0;
    while i < bytes.len() {
        let c = bytes[i];
        if !(c.is_alphanumeric() || c == '_' || c == ':')
            || (i > 0 && (bytes[i - 1].is_alphanumeric() || bytes[i - 1] == '_'))
        {
            i += 1;
            continue;
        }
        let start = i;
        while i < bytes.len() && (bytes[i].is_alphanumeric() || bytes[i] == '_' || bytes[i] == ':')
        {
            i += 1;
        }
        let path: String = bytes[start..i].iter().collect();
        let segments: Vec<&str> = path.split("::").collect();
        let mut resolved: Vec<String> = match segments.first() {
            Some(&"crate") => Vec::new(),
            Some(&"super") | Some(&"self") => module.to_vec(),
            _ => continue,
        };
        let mut rest = segments.as_slice();
        if rest.first() == Some(&"crate") {
            rest = &rest[1..];
        }
        while let Some(&first) = rest.first() {
            match first {
                "super" => {
                    resolved.pop();
                }
                "self" => {}
                _ => break,
            }
            rest = &rest[1..];
        }
        let mut next: Vec<String> = rest
            .iter()
            .filter(|s| !s.is_empty())
            .take(1)
            .map(|s| s.to_string())
            .collect();
        // `crate::{a, b::c}`: the names at the start of each part of the group.
        if next.is_empty() && i < bytes.len() && bytes[i] == '{' {
            let group: String = bytes[i + 1..].iter().take_while(|&&c| c != '}').collect();
            next = group
                .split(',')
                .filter_map(|part| part.trim().split("::").next())
                .filter(|name| !name.is_empty())
                .map(str::to_string)
                .collect();
        }
        for name in next {
            let mut full = resolved.clone();
            full.push(name);
            named.push(full[0].clone());
        }
    }
    named
}

/// Every line under `dirs` that names one of `forbidden` (a top-level module of this
/// crate, or an external crate such as `serenity`), as `file:line: names X`.
fn violations(dirs: &[&str], forbidden: &[&str]) -> Vec<String> {
    let mut found = Vec::new();
    for dir in dirs {
        let files = if dir.ends_with(".rs") {
            vec![source::root().join(dir)]
        } else {
            source::rust_files(dir)
        };
        for file in files {
            let module = module_of(&file);
            for (n, line) in source::lines(&file) {
                let (_, code) = source::split_line(&line);
                let mut names = modules_named(&code, &module);
                // External crates: any mention in code (`use serenity::...`, `axum::Router`).
                for word in code.split(|c: char| !(c.is_alphanumeric() || c == '_')) {
                    if ["serenity", "axum"].contains(&word) {
                        names.push(word.to_string());
                    }
                }
                for name in names {
                    if forbidden.contains(&name.as_str()) {
                        found.push(format!("{}:{n}: names {name}", source::shown(&file)));
                    }
                }
            }
        }
    }
    found.sort();
    found.dedup();
    found
}

const CORE: &[&str] = &[
    "src/knowledge",
    "src/matcher",
    "src/reply.rs",
    "src/links.rs",
    "src/store.rs",
    "src/limits.rs",
    "src/config.rs",
    "src/telemetry.rs",
];

#[test]
fn the_core_knows_nothing_of_discord_ops_or_startup() {
    let found = violations(
        CORE,
        &[
            "discord", "ops", "startup", "learning", "serenity", "axum", "cli",
        ],
    );
    assert!(
        found.is_empty(),
        "the core points outwards:\n{}",
        found.join("\n")
    );
}

#[test]
fn ops_knows_nothing_of_discord_or_startup() {
    let found = violations(&["src/ops"], &["discord", "startup", "serenity", "cli"]);
    assert!(
        found.is_empty(),
        "ops points outwards:\n{}",
        found.join("\n")
    );
}

#[test]
fn learning_is_a_leaf_service_beside_ops() {
    let found = violations(
        &["src/learning"],
        &["discord", "ops", "startup", "serenity", "axum", "cli"],
    );
    assert!(
        found.is_empty(),
        "learning points outwards:\n{}",
        found.join("\n")
    );
}

#[test]
fn discord_knows_nothing_of_startup() {
    let found = violations(&["src/discord"], &["startup", "axum", "cli"]);
    assert!(
        found.is_empty(),
        "discord points outwards:\n{}",
        found.join("\n")
    );
}

#[test]
fn only_the_binary_knows_exit_codes() {
    let mut found = Vec::new();
    for file in source::rust_files("src") {
        let shown = source::shown(&file);
        if shown == "src/main.rs" || shown.starts_with("src/cli/") {
            continue;
        }
        for (n, line) in source::lines(&file) {
            let (_, code) = source::split_line(&line);
            if code.contains("ExitCode") || code.contains("process::exit") {
                found.push(format!("{shown}:{n}: {}", line.trim()));
            }
        }
    }
    assert!(
        found.is_empty(),
        "exit codes below the CLI:\n{}",
        found.join("\n")
    );
}

#[test]
fn the_check_resolves_crate_super_and_grouped_paths() {
    let handler = ["discord".to_string(), "handler".to_string()];
    assert_eq!(modules_named("use crate::ops::Shared;", &handler), ["ops"]);
    assert_eq!(
        modules_named("super::super::ops::reload(&s)", &handler),
        ["ops"]
    );
    assert_eq!(
        modules_named("use super::render::{self, Rendered};", &handler),
        ["discord"]
    );
    assert_eq!(
        modules_named("use crate::{config, startup::run};", &handler),
        ["config", "startup"]
    );
    assert!(modules_named("let x = a::b::c;", &handler).is_empty());
}
