//! Where a message's clauses end: two words either side of a sentence's end or a
//! comma are not read together.

/// The clauses of a message: split at question and exclamation marks, semicolons,
/// ellipses and line breaks, and at full stops, commas and colons that end a word
/// (not inside "v2.1", "1,000", "10:30" or "example.com").
pub(super) fn clauses(text: &str) -> impl Iterator<Item = &str> {
    let mut chars = text.char_indices().peekable();
    let mut start = 0;
    std::iter::from_fn(move || {
        while let Some((at, c)) = chars.next() {
            let ends_word = chars.peek().is_none_or(|&(_, n)| !n.is_alphanumeric());
            let ends = match c {
                '?' | '!' | ';' | '\n' | '…' | '？' | '！' | '。' | '；' => true,
                '.' | ',' | ':' | '，' | '：' => ends_word,
                _ => false,
            };
            if ends {
                let clause = &text[start..at];
                start = at + c.len_utf8();
                return Some(clause);
            }
        }
        (start <= text.len()).then(|| {
            let clause = &text[start..];
            start = text.len() + 1;
            clause
        })
    })
}

#[cfg(test)]
mod tests {
    use super::clauses;

    #[test]
    fn clauses_end_at_sentence_ends_and_commas_but_not_inside_words_or_numbers() {
        let split: Vec<&str> =
            clauses("hi, my setup broke. where? v2.1 costs 1,000; ok!\nbye").collect();
        assert_eq!(
            split,
            [
                "hi",
                " my setup broke",
                " where",
                " v2.1 costs 1,000",
                " ok",
                "",
                "bye"
            ]
        );
        assert_eq!(
            clauses("see example.com.").collect::<Vec<_>>(),
            ["see example.com", ""]
        );
        assert_eq!(clauses("").collect::<Vec<_>>(), [""]);
        // Colons in times and smileys; closing quotes and brackets after a full stop;
        // ellipses and full-width marks.
        assert_eq!(
            clauses("at 10:30 :) ok").collect::<Vec<_>>(),
            ["at 10:30 ", ") ok"]
        );
        assert_eq!(
            clauses("my \"apple.\" music").collect::<Vec<_>>(),
            ["my \"apple", "\" music"]
        );
        assert_eq!(
            clauses("apple… music？ café").collect::<Vec<_>>(),
            ["apple", " music", " café"]
        );
    }
}
