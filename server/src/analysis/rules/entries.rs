//! Rules of this series; see the module list in `rules/mod.rs`.

use super::RuleCx;

pub(super) fn check(_cx: &mut RuleCx<'_>) {}
