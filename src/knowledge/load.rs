//! Reading a folder of TOML files into a validated [`KnowledgeBase`].
//!
//! Every `*.toml` file in the folder (not in sub-folders, not hidden) is read in name
//! order; each may hold any mix of `[[faq]]`, `[[reading]]`, `[[synonyms]]` and
//! `stop_words`. Spans from `toml` let every problem point at file, line and column.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use toml::Spanned;

use super::{Faq, FaqId, KnowledgeBase, LoadError, Problem, Reading};
use super::{FAQ_ANSWER_MAX_CHARS, FAQ_QUESTION_MAX_CHARS};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    #[serde(default)]
    faq: Vec<RawFaq>,
    #[serde(default)]
    reading: Vec<RawReading>,
    #[serde(default)]
    synonyms: Vec<RawSynonyms>,
    #[serde(default)]
    stop_words: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFaq {
    id: Spanned<i64>,
    slug: Option<Spanned<String>>,
    question: Spanned<String>,
    answer: Spanned<String>,
    #[serde(default)]
    aliases: Vec<Spanned<String>>,
    #[serde(default)]
    keywords: Vec<Spanned<String>>,
    further_reading: Option<Vec<Spanned<String>>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawReading {
    id: Spanned<String>,
    title: Spanned<String>,
    url: Option<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSynonyms {
    words: Spanned<Vec<String>>,
}

/// A position in one file, kept while validating across files.
#[derive(Clone)]
struct Origin {
    file: PathBuf,
    line: usize,
    column: usize,
}

/// Collects problems so that one pass reports all of them.
struct Problems(Vec<Problem>);

impl Problems {
    fn push(&mut self, at: &Origin, field: String, message: impl Into<String>) {
        self.0.push(Problem {
            file: at.file.clone(),
            line: at.line,
            column: at.column,
            field,
            message: message.into(),
        });
    }
}

/// Maps byte offsets to 1-based line and column (in characters, as editors count).
struct LineIndex<'a> {
    text: &'a str,
    starts: Vec<usize>,
}

impl<'a> LineIndex<'a> {
    fn new(text: &'a str) -> Self {
        let starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        LineIndex { text, starts }
    }

    fn position(&self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.text.len());
        let line = self.starts.partition_point(|&s| s <= offset).max(1);
        let start = self.starts[line - 1];
        let column = self
            .text
            .get(start..offset)
            .map_or(1, |s| s.chars().count() + 1);
        (line, column)
    }
}

/// Loads and validates every `*.toml` file of `dir`.
pub fn load_dir(dir: &Path) -> Result<KnowledgeBase, LoadError> {
    let (files, unreadable) = toml_files(dir)?;
    if files.is_empty() && unreadable.is_empty() {
        return Err(LoadError::whole_file(
            dir,
            "no .toml files in this folder: put the FAQs in files such as faq/general.toml",
        ));
    }
    let mut problems = Problems(unreadable);
    let mut kb = KnowledgeBase {
        files: files.clone(),
        ..KnowledgeBase::default()
    };
    let mut faq_origins: HashMap<FaqId, Origin> = HashMap::new();
    let mut slug_origins: HashMap<String, Origin> = HashMap::new();
    let mut reading_origins: HashMap<String, Origin> = HashMap::new();
    // Further Reading references are checked once every file is in: a FAQ may name an
    // entry that a later file defines.
    let mut references: Vec<(Origin, String, String)> = Vec::new();

    for file in &files {
        let text = match std::fs::read(file) {
            Ok(bytes) => match String::from_utf8(bytes) {
                Ok(text) => text,
                Err(e) => {
                    problems.0.push(Problem {
                        file: file.clone(),
                        line: 0,
                        column: 0,
                        field: String::new(),
                        message: format!(
                            "not valid UTF-8 (at byte {}): save the file as UTF-8",
                            e.utf8_error().valid_up_to()
                        ),
                    });
                    continue;
                }
            },
            Err(e) => {
                problems.0.push(Problem {
                    file: file.clone(),
                    line: 0,
                    column: 0,
                    field: String::new(),
                    message: format!("cannot read: {e}"),
                });
                continue;
            }
        };
        let lines = LineIndex::new(&text);
        let at = |offset: usize| {
            let (line, column) = lines.position(offset);
            Origin {
                file: file.clone(),
                line,
                column,
            }
        };
        let raw: RawFile = match toml::from_str(&text) {
            Ok(raw) => raw,
            Err(e) => {
                let offset = e.span().map_or(0, |s| s.start);
                let origin = at(offset);
                let field = field_of_syntax_error(&text, origin.line, e.message());
                problems.push(&origin, field, e.message().trim().to_string());
                continue;
            }
        };

        for (n, raw) in raw.faq.into_iter().enumerate() {
            let name = |field: &str| format!("faq[{}].{field}", n + 1);
            let id_at = at(raw.id.span().start);
            let id = match u32::try_from(*raw.id.get_ref()) {
                Ok(id) if id > 0 => id,
                _ => {
                    problems.push(&id_at, name("id"), "must be a whole number from 1 up");
                    continue;
                }
            };
            if let Err(first) = claim(&mut faq_origins, id, &id_at) {
                problems.push(
                    &id_at,
                    name("id"),
                    format!("duplicate id {id}: already used at {first}"),
                );
            }

            let question = raw.question.get_ref().trim().to_string();
            let q_at = at(raw.question.span().start);
            if question.is_empty() {
                problems.push(&q_at, name("question"), "is empty");
            } else if question.chars().count() > FAQ_QUESTION_MAX_CHARS {
                problems.push(
                    &q_at,
                    name("question"),
                    format!(
                        "is {} characters; a Discord embed title holds at most {FAQ_QUESTION_MAX_CHARS}",
                        question.chars().count()
                    ),
                );
            }
            let answer = raw.answer.get_ref().trim().to_string();
            let a_at = at(raw.answer.span().start);
            if answer.is_empty() {
                problems.push(&a_at, name("answer"), "is empty");
            } else if answer.chars().count() > FAQ_ANSWER_MAX_CHARS {
                problems.push(
                    &a_at,
                    name("answer"),
                    format!(
                        "is {} characters; a Discord embed holds at most {FAQ_ANSWER_MAX_CHARS}: shorten it or split the FAQ",
                        answer.chars().count()
                    ),
                );
            }

            let slug = match &raw.slug {
                Some(s) => {
                    let slug = s.get_ref().trim().to_string();
                    if slug.is_empty()
                        || !slug
                            .chars()
                            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
                    {
                        problems.push(
                            &at(s.span().start),
                            name("slug"),
                            "must be lower-case letters, digits and dashes, e.g. \"average-salary\"",
                        );
                    }
                    slug
                }
                None => slugify(&question, id),
            };
            let slug_at = raw
                .slug
                .as_ref()
                .map_or(id_at.clone(), |s| at(s.span().start));
            if let Err(first) = claim(&mut slug_origins, slug.clone(), &slug_at) {
                problems.push(
                    &slug_at,
                    name("slug"),
                    format!("duplicate slug \"{slug}\": already used at {first}"),
                );
            }

            let mut phrases = |list: Vec<Spanned<String>>, field: &str| -> Vec<String> {
                let mut out = Vec::new();
                for (i, p) in list.into_iter().enumerate() {
                    let text = p.get_ref().trim();
                    if text.is_empty() {
                        problems.push(
                            &at(p.span().start),
                            format!("faq[{}].{field}[{}]", n + 1, i + 1),
                            "is empty",
                        );
                    } else {
                        out.push(text.to_string());
                    }
                }
                out
            };
            let aliases = phrases(raw.aliases, "aliases");
            let keywords = phrases(raw.keywords, "keywords");
            let further_reading = raw.further_reading.map(|list| {
                list.into_iter()
                    .map(|r| {
                        let id = r.get_ref().trim().to_string();
                        references.push((at(r.span().start), name("further_reading"), id.clone()));
                        id
                    })
                    .collect()
            });

            kb.faqs.push(Faq {
                id,
                slug,
                question,
                answer,
                aliases,
                keywords,
                further_reading,
            });
        }

        for (n, raw) in raw.reading.into_iter().enumerate() {
            let name = |field: &str| format!("reading[{}].{field}", n + 1);
            let id = raw.id.get_ref().trim().to_string();
            let id_at = at(raw.id.span().start);
            if id.is_empty() {
                problems.push(&id_at, name("id"), "is empty");
            } else if let Err(first) = claim(&mut reading_origins, id.clone(), &id_at) {
                problems.push(
                    &id_at,
                    name("id"),
                    format!("duplicate reading id \"{id}\": already used at {first}"),
                );
            }
            let title = raw.title.get_ref().trim().to_string();
            if title.is_empty() {
                problems.push(&at(raw.title.span().start), name("title"), "is empty");
            }
            let url = raw.url.map(|u| {
                let url = u.get_ref().trim().to_string();
                if let Err(why) = check_link(&url) {
                    problems.push(&at(u.span().start), name("url"), why);
                }
                url
            });
            kb.readings.push(Reading { id, title, url });
        }

        for (n, raw) in raw.synonyms.into_iter().enumerate() {
            let words: Vec<String> = raw
                .words
                .get_ref()
                .iter()
                .map(|w| w.trim().to_string())
                .filter(|w| !w.is_empty())
                .collect();
            if words.len() < 2 {
                problems.push(
                    &at(raw.words.span().start),
                    format!("synonyms[{}].words", n + 1),
                    "needs at least two words",
                );
            }
            kb.synonyms.push(words);
        }
        kb.stop_words.extend(raw.stop_words);
    }

    for (origin, field, id) in references {
        if !reading_origins.contains_key(&id) {
            problems.push(
                &origin,
                field,
                format!("names reading \"{id}\", which no [[reading]] defines"),
            );
        }
    }
    if kb.faqs.is_empty() && problems.0.is_empty() {
        return Err(LoadError::whole_file(
            dir,
            "no [[faq]] entries in any file: the bot would have nothing to answer",
        ));
    }
    if !problems.0.is_empty() {
        return Err(LoadError {
            problems: problems.0,
        });
    }
    kb.faqs.sort_by_key(|f| f.id);
    Ok(kb)
}

/// Records where `key` is first defined; `Err("file:line")` of the first definition
/// when it is already taken.
fn claim<K: std::hash::Hash + Eq>(
    seen: &mut HashMap<K, Origin>,
    key: K,
    at: &Origin,
) -> Result<(), String> {
    match seen.entry(key) {
        std::collections::hash_map::Entry::Occupied(first) => Err(format!(
            "{}:{}",
            first.get().file.display(),
            first.get().line
        )),
        std::collections::hash_map::Entry::Vacant(slot) => {
            slot.insert(at.clone());
            Ok(())
        }
    }
}

/// The folder's FAQ files, in name order, and the `*.toml` entries that cannot be read
/// as files. A `*.toml` symlink that leads nowhere (dangling, or a loop) is a problem
/// naming the file, not a file to skip: skipping it would drop its FAQs through a
/// reload that looks successful.
fn toml_files(dir: &Path) -> Result<(Vec<PathBuf>, Vec<Problem>), LoadError> {
    let entries = std::fs::read_dir(dir)
        .map_err(|e| LoadError::whole_file(dir, format!("cannot read the FAQ folder: {e}")))?;
    let mut files = Vec::new();
    let mut problems = Vec::new();
    for path in entries.filter_map(|e| e.ok()).map(|e| e.path()) {
        if !is_faq_file(&path) {
            continue;
        }
        match std::fs::metadata(&path) {
            Ok(meta) if meta.is_file() => files.push(path),
            Ok(meta) if meta.is_dir() => problems.push(whole_file_problem(
                &path,
                "is a folder, not a file: FAQ files are read from the folder itself only",
            )),
            Ok(_) => problems.push(whole_file_problem(&path, "is not a regular file")),
            Err(e) => {
                let is_link =
                    std::fs::symlink_metadata(&path).is_ok_and(|m| m.file_type().is_symlink());
                if !is_link && e.kind() == std::io::ErrorKind::NotFound {
                    continue; // deleted since the folder was listed
                }
                problems.push(whole_file_problem(&path, unresolvable(&path, is_link, &e)));
            }
        }
    }
    files.sort();
    problems.sort_by(|a, b| a.file.cmp(&b.file));
    Ok((files, problems))
}

/// Why a `*.toml` entry cannot be followed to a file.
fn unresolvable(path: &Path, is_link: bool, e: &std::io::Error) -> String {
    if !is_link {
        return format!("cannot read: {e}");
    }
    let target = std::fs::read_link(path)
        .map(|t| t.display().to_string())
        .unwrap_or_else(|_| "?".into());
    if is_symlink_loop(e) {
        format!("symlink loop: points to {target}, which leads back to itself")
    } else if e.kind() == std::io::ErrorKind::NotFound {
        format!("dangling symlink: points to {target}, which does not exist")
    } else {
        format!("cannot follow the symlink to {target}: {e}")
    }
}

/// "Too many levels of symbolic links" (`ELOOP`; the standard library has no stable
/// error kind for it).
fn is_symlink_loop(e: &std::io::Error) -> bool {
    #[cfg(unix)]
    return e.raw_os_error() == Some(libc::ELOOP);
    #[cfg(not(unix))]
    return false;
}

fn whole_file_problem(file: &Path, message: impl Into<String>) -> Problem {
    Problem {
        file: file.to_path_buf(),
        line: 0,
        column: 0,
        field: String::new(),
        message: message.into(),
    }
}

/// Whether a file of the FAQ folder holds FAQs, by its name: `*.toml`, not hidden.
/// Editors write hidden swap and backup files beside the real one; those are skipped,
/// by the loader and by the watcher alike (which must not reload on them).
pub fn is_faq_file(path: &Path) -> bool {
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
    !name.starts_with('.') && name.ends_with(".toml")
}

/// Links end up in Discord messages, so only web addresses are allowed.
pub(crate) fn check_link(url: &str) -> Result<(), String> {
    match url::Url::parse(url) {
        Ok(u) if (u.scheme() == "http" || u.scheme() == "https") && u.host().is_some() => Ok(()),
        Ok(u) => Err(format!(
            "\"{url}\" is not an http(s) link (scheme \"{}\")",
            u.scheme()
        )),
        Err(e) => Err(format!("\"{url}\" is not a link: {e}")),
    }
}

fn slugify(question: &str, id: FaqId) -> String {
    let mut slug = String::new();
    for word in question
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
    {
        if !slug.is_empty() {
            slug.push('-');
        }
        slug.push_str(&word.to_ascii_lowercase());
        if slug.len() > 40 {
            break;
        }
    }
    if slug.is_empty() {
        format!("faq-{id}")
    } else {
        slug
    }
}

/// Names the field a TOML syntax or type error is about, e.g. `faq[2].answer`, from the
/// table header above the error line and the key on it (or in the message).
fn field_of_syntax_error(text: &str, line: usize, message: &str) -> String {
    let mut table = String::new();
    let mut counts: HashMap<String, usize> = HashMap::new();
    let mut key = String::new();
    for (i, l) in text.lines().enumerate().take(line) {
        let t = l.trim();
        if let Some(name) = t.strip_prefix("[[").and_then(|s| s.strip_suffix("]]")) {
            let c = counts.entry(name.trim().to_string()).or_default();
            *c += 1;
            table = format!("{}[{}]", name.trim(), c);
        } else if i + 1 == line {
            if let Some((k, _)) = t.split_once('=') {
                let k = k.trim();
                if !k.is_empty()
                    && k.chars()
                        .all(|c| c.is_alphanumeric() || c == '_' || c == '-')
                {
                    key = k.to_string();
                }
            }
        }
    }
    for marker in ["missing field `", "unknown field `"] {
        if let Some(rest) = message.split(marker).nth(1) {
            if let Some(k) = rest.split('`').next() {
                key = k.to_string();
            }
        }
    }
    match (table.is_empty(), key.is_empty()) {
        (true, true) => String::new(),
        (true, false) => key,
        (false, true) => table,
        (false, false) => format!("{table}.{key}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_index_counts_lines_and_characters() {
        let idx = LineIndex::new("ab\ncé\nx");
        assert_eq!(idx.position(0), (1, 1));
        assert_eq!(idx.position(3), (2, 1));
        assert_eq!(idx.position(6), (2, 3));
        assert_eq!(idx.position(7), (3, 1));
    }

    #[test]
    fn syntax_error_field_names_table_and_key() {
        let text = "[[faq]]\nid = 1\n\n[[faq]]\nid = 2\nanswer = 3\n";
        assert_eq!(
            field_of_syntax_error(text, 6, "invalid type"),
            "faq[2].answer"
        );
        assert_eq!(
            field_of_syntax_error(text, 4, "missing field `question`"),
            "faq[2].question"
        );
    }

    #[test]
    fn only_visible_toml_files_are_faq_files() {
        assert!(is_faq_file(Path::new("faq/general.toml")));
        assert!(!is_faq_file(Path::new("faq/.general.toml.swp")));
        assert!(!is_faq_file(Path::new("faq/.#general.toml")));
        assert!(!is_faq_file(Path::new("faq/general.toml~")));
        assert!(!is_faq_file(Path::new("faq/notes.md")));
    }

    #[test]
    fn only_web_links_pass() {
        assert!(check_link("https://example.com/a").is_ok());
        assert!(check_link("javascript:alert(1)").is_err());
        assert!(check_link("ftp://example.com").is_err());
        assert!(check_link("not a url").is_err());
    }
}
