//! The lexicon's word tables as one block of bytes, built from `data/lexicon/*.tsv` by
//! `build.rs` when faqbot is compiled and embedded in the binary.
//!
//! Why not parse the text at start: parsed, the tables took 4.7 MiB of heap, and the
//! parse read all 3.4 MB of embedded text, so a bot at rest held both (8 MiB of its
//! 22 MiB). As laid out here nothing is copied: a lookup reads a few bytes of the
//! mapped binary, and only the pages lookups touch are ever loaded.
//!
//! One open-addressing hash table (linear probing, at most 7/8 full) holds every word
//! of the lexicon; parallel arrays, one entry per slot, hold what is known of it. All
//! numbers are little-endian; nothing needs alignment. In order:
//! - header: magic `FAQLEX1\0`, then u32 slot count (a power of two), u32 length of
//!   the word text, u32 number of related-word entries;
//! - slots: u32 per slot, a word as `offset << 8 | length` in the word text, or
//!   `u32::MAX` for an empty slot;
//! - zipf: u8 per slot, the word's Zipf frequency × 10 (`frequency.tsv` has one
//!   decimal), 0 when not listed;
//! - pos: u8 per slot, 0 none, 1 noun, 2 verb, 3 adjective, 4 adverb;
//! - related start: u32 per slot, where the word's list of related words starts;
//! - related length: u16 per slot;
//! - related entries: u32 each, the related word's slot `<< 8` | its weight × 100
//!   (`related.tsv` has two decimals), each list strongest first, then alphabetical,
//!   each word once at its strongest; both directions of every relation;
//! - the word text.
//!
//! This file is compiled twice: into faqbot (the reader, [`Table`]) and into
//! `build.rs` (the writer, [`build`]); both use [`hash`].

pub const MAGIC: &[u8; 8] = b"FAQLEX1\0";
const HEADER: usize = 8 + 3 * 4;
const EMPTY: u32 = u32::MAX;

/// An FxHash-style hash, eight bytes at a step: the writer and the reader must hash
/// alike whatever crate versions each is built with, so it is spelled out here. Typo
/// correction looks up hundreds of candidates per word, so it must be cheap (FNV-1a,
/// a byte at a step, made correction 25% slower).
pub fn hash(word: &[u8]) -> usize {
    const K: u64 = 0x517c_c1b7_2722_0a95;
    let mut h: u64 = 0;
    let mut chunks = word.chunks_exact(8);
    for chunk in &mut chunks {
        let mut eight = [0u8; 8];
        eight.copy_from_slice(chunk);
        h = (h.rotate_left(5) ^ u64::from_le_bytes(eight)).wrapping_mul(K);
    }
    let rest = chunks.remainder();
    let mut last = [0u8; 8];
    last[..rest.len()].copy_from_slice(rest);
    h = (h.rotate_left(5) ^ u64::from_le_bytes(last) ^ word.len() as u64).wrapping_mul(K);
    // The multiplication mixes upward; the table takes the low bits.
    h.rotate_left(26) as usize
}

fn u32_at(bytes: &[u8], i: usize) -> u32 {
    let mut four = [0u8; 4];
    four.copy_from_slice(&bytes[4 * i..4 * i + 4]);
    u32::from_le_bytes(four)
}

/// The reader: borrowed sections of the embedded block.
#[allow(dead_code)] // build.rs compiles this file for the writer only
pub struct Table {
    mask: usize,
    slots: &'static [u8],
    zipf: &'static [u8],
    pos: &'static [u8],
    start: &'static [u8],
    len: &'static [u8],
    entries: &'static [u8],
    text: &'static [u8],
}

#[allow(dead_code)]
impl Table {
    /// Splits the block into its sections; `None` if it is not one `build` wrote.
    pub fn new(block: &'static [u8]) -> Option<Table> {
        if block.len() < HEADER || &block[..8] != MAGIC {
            return None;
        }
        let n = u32_at(&block[8..], 0) as usize;
        let text_len = u32_at(&block[8..], 1) as usize;
        let entries = u32_at(&block[8..], 2) as usize;
        if !n.is_power_of_two() {
            return None;
        }
        let mut rest = &block[HEADER..];
        let mut take = |size: usize| -> Option<&'static [u8]> {
            let (section, tail) = (rest.get(..size)?, rest.get(size..)?);
            rest = tail;
            Some(section)
        };
        let table = Table {
            mask: n - 1,
            slots: take(4 * n)?,
            zipf: take(n)?,
            pos: take(n)?,
            start: take(4 * n)?,
            len: take(2 * n)?,
            entries: take(4 * entries)?,
            text: take(text_len)?,
        };
        rest.is_empty().then_some(table)
    }

    /// The slot holding `word`, if the lexicon knows it.
    pub fn find(&self, word: &str) -> Option<usize> {
        let mut i = hash(word.as_bytes()) & self.mask;
        loop {
            let w = u32_at(self.slots, i);
            if w == EMPTY {
                return None;
            }
            if (w & 0xff) as usize == word.len() && self.bytes(w) == word.as_bytes() {
                return Some(i);
            }
            i = (i + 1) & self.mask;
        }
    }

    fn bytes(&self, w: u32) -> &'static [u8] {
        let (offset, len) = ((w >> 8) as usize, (w & 0xff) as usize);
        &self.text[offset..offset + len]
    }

    /// The word in a slot `find` returned (or a related entry named).
    pub fn word(&self, slot: usize) -> &'static str {
        // The writer put only `&str`s' bytes in the text.
        std::str::from_utf8(self.bytes(u32_at(self.slots, slot))).unwrap_or("")
    }

    /// Zipf frequency × 10, 0 when the word is not in the frequency list.
    pub fn zipf(&self, slot: usize) -> u8 {
        self.zipf[slot]
    }

    /// Part of speech: 0 none, 1 noun, 2 verb, 3 adjective, 4 adverb.
    pub fn pos(&self, slot: usize) -> u8 {
        self.pos[slot]
    }

    /// The word's related words: (slot, weight × 100), strongest first.
    pub fn related(&self, slot: usize) -> impl Iterator<Item = (usize, u8)> + '_ {
        let start = u32_at(self.start, slot) as usize;
        let len = u16::from_le_bytes([self.len[2 * slot], self.len[2 * slot + 1]]) as usize;
        (start..start + len).map(|e| {
            let v = u32_at(self.entries, e);
            ((v >> 8) as usize, (v & 0xff) as u8)
        })
    }
}

/// The writer: the block for the three files' text (`frequency.tsv`: word, zipf;
/// `pos.tsv`: word, n|v|a|r; `related.tsv`: word, `other:weight,...`). A word listed
/// twice keeps its last zipf and part of speech; unreadable fields are skipped.
#[allow(dead_code)] // faqbot compiles this file for the reader only
pub fn build(frequency: &str, pos: &str, related: &str) -> Vec<u8> {
    use std::collections::HashMap;

    let lines = |text: &str| -> Vec<(String, String)> {
        text.lines()
            .filter_map(|l| l.split_once('\t'))
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect()
    };

    // Every word, numbered in order of first appearance.
    let mut ids: HashMap<String, usize> = HashMap::new();
    let mut words: Vec<String> = Vec::new();
    let mut id = |w: &str| -> usize {
        if let Some(&i) = ids.get(w) {
            return i;
        }
        ids.insert(w.to_string(), words.len());
        words.push(w.to_string());
        words.len() - 1
    };
    let mut zipf: HashMap<usize, u8> = HashMap::new();
    for (w, z) in lines(frequency) {
        if let Ok(z) = z.parse::<f32>() {
            let q = (z * 10.0).round().clamp(1.0, 255.0) as u8;
            // Stored as tenths: a value that is not one would change answers.
            assert!(
                f32::from(q) / 10.0 == z,
                "frequency.tsv: {w} {z} is not 0.1..25.5 in tenths"
            );
            zipf.insert(id(&w), q);
        }
    }
    let mut parts: HashMap<usize, u8> = HashMap::new();
    for (w, p) in lines(pos) {
        let p = match p.as_str() {
            "n" => 1,
            "v" => 2,
            "a" => 3,
            "r" => 4,
            _ => continue,
        };
        parts.insert(id(&w), p);
    }
    // Both directions of every relation; each list strongest first, then
    // alphabetical, each word once at its strongest.
    let mut lists: HashMap<usize, Vec<(usize, u8)>> = HashMap::new();
    for (w, list) in lines(related) {
        for item in list.split(',') {
            let Some((other, weight)) = item.split_once(':') else {
                continue;
            };
            let Ok(weight) = weight.parse::<f32>() else {
                continue;
            };
            let q = (weight * 100.0).round().clamp(0.0, 100.0) as u8;
            // Stored as hundredths: a value that is not one would change answers.
            assert!(
                f32::from(q) / 100.0 == weight,
                "related.tsv: {w} {other}:{weight} is not 0..1 in hundredths"
            );
            let weight = q;
            let (a, b) = (id(&w), id(other));
            lists.entry(a).or_default().push((b, weight));
            lists.entry(b).or_default().push((a, weight));
        }
    }
    for list in lists.values_mut() {
        list.sort_by(|x, y| y.1.cmp(&x.1).then(words[x.0].cmp(&words[y.0])));
        let mut seen = std::collections::HashSet::new();
        list.retain(|(w, _)| seen.insert(*w));
    }

    // Place the words.
    let n = (words.len() + words.len() / 7 + 1).next_power_of_two();
    assert!(n <= 1 << 24, "a related entry holds a slot in 24 bits");
    let mut slot_of = vec![usize::MAX; words.len()];
    let mut occupant = vec![usize::MAX; n];
    for (i, w) in words.iter().enumerate() {
        let mut s = hash(w.as_bytes()) & (n - 1);
        while occupant[s] != usize::MAX {
            s = (s + 1) & (n - 1);
        }
        occupant[s] = i;
        slot_of[i] = s;
    }

    let mut text = String::new();
    let mut slots = Vec::with_capacity(4 * n);
    let (mut zipfs, mut poss) = (vec![0u8; n], vec![0u8; n]);
    let (mut starts, mut lens, mut entries) = (Vec::new(), Vec::new(), Vec::new());
    let mut count = 0u32;
    for (s, &i) in occupant.iter().enumerate() {
        let (mut start, mut len) = (0u32, 0u16);
        if i == usize::MAX {
            slots.extend_from_slice(&EMPTY.to_le_bytes());
        } else {
            let w = &words[i];
            assert!(
                w.len() < 255 && text.len() < 1 << 24,
                "word or text too long"
            );
            slots.extend_from_slice(&(((text.len() as u32) << 8) | w.len() as u32).to_le_bytes());
            text.push_str(w);
            zipfs[s] = zipf.get(&i).copied().unwrap_or(0);
            poss[s] = parts.get(&i).copied().unwrap_or(0);
            if let Some(list) = lists.get(&i) {
                start = count;
                len = u16::try_from(list.len()).expect("a related list fits in u16");
                for &(other, weight) in list {
                    entries.extend_from_slice(
                        &(((slot_of[other] as u32) << 8) | u32::from(weight)).to_le_bytes(),
                    );
                }
                count += u32::from(len);
            }
        }
        starts.extend_from_slice(&start.to_le_bytes());
        lens.extend_from_slice(&len.to_le_bytes());
    }

    let mut block = Vec::new();
    block.extend_from_slice(MAGIC);
    for v in [n as u32, text.len() as u32, count] {
        block.extend_from_slice(&v.to_le_bytes());
    }
    for section in [
        &slots,
        &zipfs,
        &poss,
        &starts,
        &lens,
        &entries,
        text.as_bytes(),
    ] {
        block.extend_from_slice(section);
    }
    block
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(frequency: &str, pos: &str, related: &str) -> Table {
        let block: &'static [u8] = Box::leak(build(frequency, pos, related).into_boxed_slice());
        Table::new(block).expect("a block build wrote reads back")
    }

    fn related(t: &Table, word: &str) -> Vec<(&'static str, u8)> {
        let slot = t.find(word).expect("known word");
        t.related(slot).map(|(s, w)| (t.word(s), w)).collect()
    }

    #[test]
    fn what_is_written_reads_back() {
        let t = table(
            "the\t7.7\nrefund\t3.9\nrefund\t4.0\nodd\tx\n",
            "refund\tn\nrepay\tv\nbadly\tz\n",
            "refund\trepay:0.80,return:0.36,repay:0.50\nreturn\tgive back:0.40\n",
        );
        let zipf = |w: &str| t.find(w).map(|s| t.zipf(s));
        assert_eq!(zipf("the"), Some(77));
        // A word listed twice keeps its last value; an unreadable one has none.
        assert_eq!(zipf("refund"), Some(40));
        assert_eq!(zipf("odd"), None);
        assert_eq!(
            zipf("repay"),
            Some(0),
            "known from other tables, no frequency"
        );
        assert_eq!(zipf("nowhere"), None);
        assert_eq!(t.find("refund").map(|s| t.pos(s)), Some(1));
        assert_eq!(t.find("repay").map(|s| t.pos(s)), Some(2));
        assert_eq!(
            t.find("badly"),
            None,
            "an unknown part of speech adds nothing"
        );
        // Strongest first, each word once at its strongest, both directions.
        assert_eq!(related(&t, "refund"), [("repay", 80), ("return", 36)]);
        assert_eq!(related(&t, "repay"), [("refund", 80)]);
        assert_eq!(related(&t, "return"), [("give back", 40), ("refund", 36)]);
        assert!(related(&t, "the").is_empty());
    }

    #[test]
    fn a_block_that_is_not_a_table_is_refused() {
        let good = build("the\t7.7\n", "", "");
        let leak = |b: Vec<u8>| -> &'static [u8] { Box::leak(b.into_boxed_slice()) };
        assert!(Table::new(leak(good.clone())).is_some());
        assert!(Table::new(leak(good[..good.len() - 1].to_vec())).is_none());
        let mut longer = good.clone();
        longer.push(0);
        assert!(Table::new(leak(longer)).is_none());
        let mut magic = good;
        magic[0] = b'X';
        assert!(Table::new(leak(magic)).is_none());
        assert!(Table::new(&[]).is_none());
    }
}
