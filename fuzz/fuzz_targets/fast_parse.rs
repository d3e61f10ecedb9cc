//! Arbitrary text: wherever the fast whole-document parse answers
//! (`syntax/fast_blocks.rs`), its model is the one built from the
//! tree-sitter tree, so every finding is the same both ways.
#![no_main]

use execplan_ls::model::{build_fast, build_with_tree_sitter};
use execplan_ls::syntax::InlineCache;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    if let Ok(fast) = build_fast(&text, &mut InlineCache::default()) {
        let tree = build_with_tree_sitter(&text);
        assert!(
            fast == tree,
            "models differ on {text:?}:\n{fast:#?}\n{tree:#?}"
        );
    }
});
