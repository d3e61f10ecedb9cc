//! One file per LSP method; [`crate::lsp::router`] sends each message to
//! its file's `handle`. Requests on a document go through
//! [`crate::lsp::request::on_plan`]; every LSP value is built by
//! [`crate::lsp::convert`].

pub mod code_action;
pub mod code_lens;
pub mod completion;
pub mod definition;
pub mod did_change;
pub mod did_change_configuration;
pub mod did_change_watched_files;
pub mod did_close;
pub mod did_open;
pub mod did_save;
pub mod document_diagnostic;
pub mod document_link;
pub mod document_symbol;
pub mod execute_command;
pub mod folding_range;
pub mod hover;
pub mod initialize;
pub mod initialized;
pub mod inlay_hint;
pub mod shutdown;
pub mod workspace_diagnostic;
pub mod workspace_symbol;
