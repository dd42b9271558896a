//! Adding an alias to an FAQ in its TOML file, as an admin would by hand: the file's
//! comments and layout stay as they are (`toml_edit`). The folder must still load
//! afterwards; if it does not, the file is put back and the problem reported.
//! Files are replaced by rename, so a watching bot never reads half a file.

use std::path::{Path, PathBuf};

use toml_edit::{Array, DocumentMut, Item, Value};

use crate::knowledge::{is_faq_file, load_dir, FaqId, LoadError};

#[derive(Debug, thiserror::Error)]
pub enum AliasError {
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{path}: not TOML: {message}")]
    Syntax { path: PathBuf, message: String },
    #[error("no [[faq]] with id {0} in the FAQ folder")]
    NoSuchFaq(FaqId),
    #[error("{path}: faq {faq} has an `aliases` that is not a list")]
    NotAList { path: PathBuf, faq: FaqId },
    #[error("the FAQ folder does not load with the new alias; {file} was restored:\n{error}")]
    Invalid { file: PathBuf, error: LoadError },
}

/// Adds `alias` to the `aliases` of FAQ `faq` (creating the list if absent) in whichever
/// file of `dir` holds it, then loads the folder to check it. Returns the file. An
/// alias the FAQ already has is not added twice. Blocking.
pub fn add_alias(dir: &Path, faq: FaqId, alias: &str) -> Result<PathBuf, AliasError> {
    let io = |path: &Path| {
        let path = path.to_path_buf();
        move |source| AliasError::Io { path, source }
    };
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(io(dir))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_file() && is_faq_file(p))
        .collect();
    files.sort();
    for file in files {
        let original = std::fs::read_to_string(&file).map_err(io(&file))?;
        let mut doc: DocumentMut =
            original
                .parse()
                .map_err(|e: toml_edit::TomlError| AliasError::Syntax {
                    path: file.clone(),
                    message: e.message().to_string(),
                })?;
        let Some(table) = doc
            .get_mut("faq")
            .and_then(Item::as_array_of_tables_mut)
            .and_then(|faqs| {
                faqs.iter_mut()
                    .find(|t| t.get("id").and_then(Item::as_integer) == Some(i64::from(faq)))
            })
        else {
            continue;
        };
        if !table.contains_key("aliases") {
            table.insert("aliases", Item::Value(Value::Array(Array::new())));
        }
        let list = table
            .get_mut("aliases")
            .and_then(Item::as_array_mut)
            .ok_or_else(|| AliasError::NotAList {
                path: file.clone(),
                faq,
            })?;
        if list.iter().any(|v| v.as_str() == Some(alias)) {
            return Ok(file);
        }
        list.push(alias);
        replace(&file, &doc.to_string())?;
        if let Err(error) = load_dir(dir) {
            replace(&file, &original)?;
            return Err(AliasError::Invalid { file, error });
        }
        return Ok(file);
    }
    Err(AliasError::NoSuchFaq(faq))
}

/// Writes beside the file under a hidden name (the loader and the watcher skip those),
/// then renames over it.
fn replace(file: &Path, text: &str) -> Result<(), AliasError> {
    let name = file
        .file_name()
        .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
    let temp = file.with_file_name(format!(".{name}.faqbot-edit"));
    let io = |source| AliasError::Io {
        path: file.to_path_buf(),
        source,
    };
    std::fs::write(&temp, text).map_err(io)?;
    std::fs::rename(&temp, file).map_err(io)
}

#[cfg(test)]
mod tests {
    use super::*;

    const FILE: &str = r#"# Our FAQs. Keep this comment.

[[faq]]
id = 1
question = "How much does it cost?"   # the big one
answer = "Ten euros."

[[faq]]
id = 2
question = "Where are you?"
answer = "Here."
aliases = ["Where is the shop?"]
"#;

    #[test]
    fn an_alias_is_added_keeping_comments_and_layout() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("faq.toml");
        std::fs::write(&path, FILE).expect("write");
        assert_eq!(add_alias(dir.path(), 1, "price?").expect("added"), path);
        add_alias(dir.path(), 2, "How do I find you").expect("added");
        add_alias(dir.path(), 2, "How do I find you").expect("not twice");
        let text = std::fs::read_to_string(&path).expect("read");
        assert!(
            text.starts_with("# Our FAQs. Keep this comment.\n"),
            "{text}"
        );
        assert!(
            text.contains("question = \"How much does it cost?\"   # the big one"),
            "{text}"
        );
        assert!(text.contains("aliases = [\"price?\"]"), "{text}");
        assert!(
            text.contains(r#"aliases = ["Where is the shop?", "How do I find you"]"#),
            "{text}"
        );
        let kb = load_dir(dir.path()).expect("loads");
        assert_eq!(kb.faq(1).expect("faq 1").aliases, ["price?"]);
    }

    #[test]
    fn an_unknown_faq_is_an_error_and_changes_nothing() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("faq.toml");
        std::fs::write(&path, FILE).expect("write");
        assert!(matches!(
            add_alias(dir.path(), 9, "x"),
            Err(AliasError::NoSuchFaq(9))
        ));
        assert_eq!(std::fs::read_to_string(&path).expect("read"), FILE);
    }

    #[test]
    fn a_folder_that_no_longer_loads_gets_its_file_back() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("faq.toml");
        std::fs::write(&path, FILE).expect("write");
        // Already broken elsewhere: the edit cannot make it load, so it is undone.
        std::fs::write(dir.path().join("other.toml"), "[[faq]]\nid = 1\n").expect("write");
        let e = add_alias(dir.path(), 1, "price?").expect_err("refused");
        assert!(matches!(e, AliasError::Invalid { .. }), "{e}");
        assert_eq!(std::fs::read_to_string(&path).expect("read"), FILE);
    }
}
