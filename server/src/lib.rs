//! execplan-ls: the language server and command-line front ends over the
//! ExecPlan engine (`execplan-engine`, in `server/engine/`).
//!
//! The engine's modules are re-exported under their own names, so
//! `execplan_ls::model` and `execplan_engine::model` are the same module.
//!
//! - Front ends: [`lsp`] (the only module that knows LSP types), [`mcp`] (the
//!   MCP server for coding agents), [`hook`] (agent hook events) and [`cli`];
//!   [`store`] holds the documents the editor has open.

pub use execplan_engine::{
    analysis, cache, checker, config, discovery, document, history, index, model, plan_file,
    plans_md, report, syntax, text, workspace,
};

pub mod cli;
pub mod hook;
pub mod lsp;
pub mod mcp;
pub mod store;
