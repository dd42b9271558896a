//! Load errors a person can act on: every problem names the file, line, column and field.

use std::fmt;
use std::path::PathBuf;

/// One thing wrong in one file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub file: PathBuf,
    /// 1-based; 0 when the problem is the file as a whole (unreadable, missing folder).
    pub line: usize,
    pub column: usize,
    /// Where in the data, e.g. `faq[3].answer`; empty when the problem is the whole file.
    pub field: String,
    pub message: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file.display())?;
        if self.line > 0 {
            write!(f, ":{}:{}", self.line, self.column)?;
        }
        if !self.field.is_empty() {
            write!(f, ": {}", self.field)?;
        }
        write!(f, ": {}", self.message)
    }
}

/// Everything wrong with a knowledge-base folder: loading reports all problems at once,
/// so an admin fixes a file in one pass rather than one error per reload.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct LoadError {
    pub problems: Vec<Problem>,
}

impl fmt::Display for LoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let n = self.problems.len();
        write!(
            f,
            "{n} problem{} in the knowledge base",
            if n == 1 { "" } else { "s" }
        )?;
        for p in &self.problems {
            write!(f, "\n  {p}")?;
        }
        Ok(())
    }
}

impl LoadError {
    pub(crate) fn whole_file(file: impl Into<PathBuf>, message: impl Into<String>) -> Self {
        LoadError {
            problems: vec![Problem {
                file: file.into(),
                line: 0,
                column: 0,
                field: String::new(),
                message: message.into(),
            }],
        }
    }
}
