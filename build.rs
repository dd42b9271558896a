//! Compiles the lexicon's word tables (`data/lexicon/*.tsv`) into the block of bytes
//! faqbot embeds (`src/matcher/lexicon/table.rs` describes it), so that nothing is
//! parsed at run time.

#[path = "src/matcher/lexicon/table.rs"]
mod table;

fn main() {
    let read = |name: &str| {
        let path = format!("data/lexicon/{name}");
        println!("cargo::rerun-if-changed={path}");
        std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read {path}: {e}"))
    };
    let block = table::build(
        &read("frequency.tsv"),
        &read("pos.tsv"),
        &read("related.tsv"),
    );
    println!("cargo::rerun-if-changed=src/matcher/lexicon/table.rs");
    let out = std::path::Path::new(&std::env::var_os("OUT_DIR").expect("cargo sets OUT_DIR"))
        .join("lexicon.bin");
    std::fs::write(&out, block).unwrap_or_else(|e| panic!("cannot write {}: {e}", out.display()));
}
