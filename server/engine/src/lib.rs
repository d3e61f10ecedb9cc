//! The ExecPlan engine: everything the front ends (LSP, CLI, MCP) share.
//!
//! Layers, each depending only on those above it:
//!
//! - [`text`]: byte offsets ↔ line/column positions in any encoding.
//! - [`syntax`]: tree-sitter-md block trees and inline facts.
//! - [`model`]: the plan as plain Rust types, built from the syntax tree.
//! - [`config`] and [`workspace`]: `.execplan.toml`, the editor's settings,
//!   the repository root; [`plans_md`]: its PLANS.md files and skeleton.
//! - [`analysis`]: rules over the model, giving diagnostics; fixes, actions,
//!   completions and the reading features.
//! - [`discovery`]: which Markdown files are plans, and why the others are
//!   not; [`checker`]: the one path from a document to its outcome.
//! - [`plan_file`]: a plan read from disk with its settings; [`history`]:
//!   plans behind the code, from git history.
//! - [`document`]: an open document kept in sync with edits; [`index`]: every
//!   plan in the workspace, open or not.
//! - [`report`]: where each plan stands (progress, pace, findings).
//!
//! This crate has no LSP, async runtime or command-line dependency: the
//! compiler keeps the front ends' concerns out of it.

pub mod analysis;
pub mod cache;
pub mod checker;
pub mod config;
pub mod discovery;
pub mod document;
pub mod history;
pub mod index;
pub mod model;
pub mod plan_file;
pub mod plans_md;
pub mod report;
pub mod syntax;
pub mod text;
pub mod workspace;
