//! Arbitrary text: the block tree parsed from the joined input
//! (`syntax/block_input.rs`) must have the named nodes of the tree of the
//! text itself, apart from the grammar's own error recovery at the end of a
//! text without a final line break.
#![no_main]

use execplan_ls::syntax::check_joining;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    if let Err(difference) = check_joining(&text) {
        panic!("{difference}");
    }
});
