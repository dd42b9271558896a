//! The lexicon's word tables as one block of bytes, built from `data/lexicon/*.tsv` by
//! `build.rs` when faqbot is compiled and embedded in the binary.
//!
//! Why not parse the text at start: parsed, the tables took 4.7 MiB of heap, and the
//! parse read all 3.4 MB of embedded text, so a bot at rest held both (8 MiB of its
//! 22 MiB). As laid out here nothing is copied: a lookup reads a few bytes of the
//! mapped binary, and only the pages lookups touch are ever loaded.
//!
//! One open-addressing hash table (linear probing, at most 7/8 full) finds a word's
//! record; the records hold everything known of a word, one after another, the most
//! common words first (the order of `frequency.tsv`). All numbers are little-endian;
//! nothing needs alignment. In order:
//! - header: magic `FAQLEX2\0`, then u32 slot count (a power of two), u32 length of
//!   the records;
//! - slots: u32 per slot, a word's record as `offset << 8 | word length`, or
//!   `u32::MAX` for an empty slot (the length lets a probe skip other words without
//!   reading their records);
//! - records, each: the word's bytes; its Zipf frequency × 10 (`frequency.tsv` has one
//!   decimal), 0 when not listed; its part of speech (0 none, 1 noun, 2 verb,
//!   3 adjective, 4 adverb); how many related words follow (one byte, or two when the
//!   first has its top bit set); then each related word as 3 bytes, its slot `<< 7` |
//!   its weight × 100 (`related.tsv` has two decimals), strongest first, then
//!   alphabetical, each word once at its strongest; both directions of every relation.
//!
//! Why one record per word rather than an array per field: a lookup reads one place
//! instead of five, and the table is 2.0 MB instead of 2.9 (no per-slot start and
//! length of a related list, 3-byte entries). Lookups touch pages all over the table,
//! so all of it ends up resident in a running bot: its size is memory the bot holds.
//!
//! This file is compiled twice: into faqbot (the reader, [`Table`]) and into
//! `build.rs` (the writer, [`build`]); both use [`hash`].

pub const MAGIC: &[u8; 8] = b"FAQLEX2\0";
const HEADER: usize = 8 + 2 * 4;
const EMPTY: u32 = u32::MAX;
/// A related entry holds a slot in 17 bits and a weight (0..=100) in 7.
const SLOT_BITS: u32 = 17;
const ENTRY: usize = 3;

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
    records: &'static [u8],
}

#[allow(dead_code)]
impl Table {
    /// Splits the block into its sections; `None` if it is not one `build` wrote.
    pub fn new(block: &'static [u8]) -> Option<Table> {
        if block.len() < HEADER || &block[..8] != MAGIC {
            return None;
        }
        let n = u32_at(&block[8..], 0) as usize;
        let records_len = u32_at(&block[8..], 1) as usize;
        if !n.is_power_of_two() || n > 1 << SLOT_BITS {
            return None;
        }
        let slots = block.get(HEADER..HEADER + 4 * n)?;
        let records = block.get(HEADER + 4 * n..)?;
        (records.len() == records_len).then_some(Table {
            mask: n - 1,
            slots,
            records,
        })
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
        self.records.get(offset..offset + len).unwrap_or_default()
    }

    /// What follows the word in its record: zipf, part of speech, related words.
    fn after_word(&self, slot: usize) -> &'static [u8] {
        let w = u32_at(self.slots, slot);
        let end = (w >> 8) as usize + (w & 0xff) as usize;
        self.records.get(end..).unwrap_or_default()
    }

    /// The word in a slot `find` returned (or a related entry named).
    pub fn word(&self, slot: usize) -> &'static str {
        // The writer put only `&str`s' bytes in the records.
        std::str::from_utf8(self.bytes(u32_at(self.slots, slot))).unwrap_or("")
    }

    /// Zipf frequency × 10, 0 when the word is not in the frequency list.
    pub fn zipf(&self, slot: usize) -> u8 {
        self.after_word(slot).first().copied().unwrap_or(0)
    }

    /// Part of speech: 0 none, 1 noun, 2 verb, 3 adjective, 4 adverb.
    pub fn pos(&self, slot: usize) -> u8 {
        self.after_word(slot).get(1).copied().unwrap_or(0)
    }

    /// The word's related words: (slot, weight × 100), strongest first.
    pub fn related(&self, slot: usize) -> impl Iterator<Item = (usize, u8)> + '_ {
        let rest = self.after_word(slot).get(2..).unwrap_or_default();
        let (count, rest) = match rest {
            [a, b, rest @ ..] if a & 0x80 != 0 => {
                (usize::from(a & 0x7f) << 8 | usize::from(*b), rest)
            }
            [a, rest @ ..] => (usize::from(*a), rest),
            [] => (0, rest),
        };
        let entries = rest.get(..ENTRY * count).unwrap_or_default();
        entries
            .chunks_exact(ENTRY)
            .map(|e| {
                let v = u32::from_le_bytes([e[0], e[1], e[2], 0]);
                ((v >> 7) as usize, (v & 0x7f) as u8)
            })
            // Only a block `build` did not write could name a slot past the table.
            .filter(|&(slot, _)| slot <= self.mask)
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
    assert!(
        n <= 1 << SLOT_BITS,
        "a related entry holds a slot in {SLOT_BITS} bits"
    );
    let mut slot_of = vec![usize::MAX; words.len()];
    let mut occupied = vec![false; n];
    for (i, w) in words.iter().enumerate() {
        let mut s = hash(w.as_bytes()) & (n - 1);
        while occupied[s] {
            s = (s + 1) & (n - 1);
        }
        occupied[s] = true;
        slot_of[i] = s;
    }

    // The records, in the order the words were first seen.
    let mut slots = vec![EMPTY; n];
    let mut records = Vec::new();
    for (i, w) in words.iter().enumerate() {
        assert!(
            w.len() < 255 && records.len() < 1 << 24,
            "word or records too long"
        );
        slots[slot_of[i]] = ((records.len() as u32) << 8) | w.len() as u32;
        records.extend_from_slice(w.as_bytes());
        records.push(zipf.get(&i).copied().unwrap_or(0));
        records.push(parts.get(&i).copied().unwrap_or(0));
        let list = lists.get(&i).map_or(&[][..], Vec::as_slice);
        match list.len() {
            len @ 0..=0x7f => records.push(len as u8),
            len @ 0x80..=0x7fff => records.extend_from_slice(&[0x80 | (len >> 8) as u8, len as u8]),
            _ => panic!("a related list holds at most 32,767 words"),
        }
        for &(other, weight) in list {
            let v = ((slot_of[other] as u32) << 7) | u32::from(weight);
            records.extend_from_slice(&v.to_le_bytes()[..ENTRY]);
        }
    }

    let mut block = Vec::new();
    block.extend_from_slice(MAGIC);
    for v in [n as u32, records.len() as u32] {
        block.extend_from_slice(&v.to_le_bytes());
    }
    for slot in slots {
        block.extend_from_slice(&slot.to_le_bytes());
    }
    block.extend_from_slice(&records);
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
    fn long_related_lists_read_back_whole() {
        // Past 127 related words the count takes two bytes.
        let others: Vec<String> = (0..300).map(|i| format!("w{i:03}:0.50")).collect();
        let t = table(
            "hub\t3.0\n",
            "hub\tn\n",
            &format!("hub\t{}\n", others.join(",")),
        );
        let list = related(&t, "hub");
        assert_eq!(list.len(), 300);
        assert_eq!(list.first(), Some(&("w000", 50)));
        assert_eq!(list.last(), Some(&("w299", 50)));
        assert_eq!(t.find("hub").map(|s| (t.zipf(s), t.pos(s))), Some((30, 1)));
        assert_eq!(related(&t, "w150"), [("hub", 50)]);
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
