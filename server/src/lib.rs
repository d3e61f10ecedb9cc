//! execplan-ls: a language server and command-line checker for ExecPlans.
//!
//! Layers, each depending only on those above it:
//!
//! - [`text`]: byte offsets ↔ line/column positions in any encoding.
//! - [`syntax`]: tree-sitter-md block trees and inline facts.
//! - [`model`]: the plan as plain Rust types, built from the syntax tree.
//! - [`config`]: `.execplan.toml` and the same keys from the editor.
//! - [`analysis`]: rules over the model, giving diagnostics.
//! - [`document`] and [`store`]: open documents kept in sync with edits;
//!   [`index`]: every plan in the workspace, open or not.
//! - Front ends: [`lsp`] (the only module that knows LSP types) and [`cli`].

pub mod analysis;
pub mod checker;
pub mod cli;
pub mod config;
pub mod document;
pub mod index;
pub mod lsp;
pub mod model;
pub mod store;
pub mod syntax;
pub mod text;
pub mod workspace;
