//! The router: each LSP method to its handler in [`super::handlers`], and
//! nothing else. Adding a method is one file there and one line here (and
//! its capability in [`super::server_capabilities`]).

use tower_lsp_server::LanguageServer;
use tower_lsp_server::jsonrpc::Result;
use tower_lsp_server::ls_types::*;

use super::handlers::*;
use super::session::Backend;

impl LanguageServer for Backend {
    async fn initialize(&self, p: InitializeParams) -> Result<InitializeResult> {
        initialize::handle(self, p).await
    }

    async fn initialized(&self, p: InitializedParams) {
        initialized::handle(self, p).await
    }

    async fn shutdown(&self) -> Result<()> {
        shutdown::handle(self).await
    }

    async fn did_open(&self, p: DidOpenTextDocumentParams) {
        did_open::handle(self, p).await
    }

    async fn did_change(&self, p: DidChangeTextDocumentParams) {
        did_change::handle(self, p).await
    }

    async fn did_save(&self, p: DidSaveTextDocumentParams) {
        did_save::handle(self, p).await
    }

    async fn did_close(&self, p: DidCloseTextDocumentParams) {
        did_close::handle(self, p).await
    }

    async fn did_change_configuration(&self, p: DidChangeConfigurationParams) {
        did_change_configuration::handle(self, p).await
    }

    async fn did_change_watched_files(&self, p: DidChangeWatchedFilesParams) {
        did_change_watched_files::handle(self, p).await
    }

    async fn completion(&self, p: CompletionParams) -> Result<Option<CompletionResponse>> {
        completion::handle(self, p).await
    }

    async fn code_action(&self, p: CodeActionParams) -> Result<Option<CodeActionResponse>> {
        code_action::handle(self, p).await
    }

    async fn execute_command(&self, p: ExecuteCommandParams) -> Result<Option<LSPAny>> {
        execute_command::handle(self, p).await
    }

    async fn document_symbol(
        &self,
        p: DocumentSymbolParams,
    ) -> Result<Option<DocumentSymbolResponse>> {
        document_symbol::handle(self, p).await
    }

    async fn folding_range(&self, p: FoldingRangeParams) -> Result<Option<Vec<FoldingRange>>> {
        folding_range::handle(self, p).await
    }

    async fn hover(&self, p: HoverParams) -> Result<Option<Hover>> {
        hover::handle(self, p).await
    }

    async fn code_lens(&self, p: CodeLensParams) -> Result<Option<Vec<CodeLens>>> {
        code_lens::handle(self, p).await
    }

    async fn inlay_hint(&self, p: InlayHintParams) -> Result<Option<Vec<InlayHint>>> {
        inlay_hint::handle(self, p).await
    }

    async fn document_link(&self, p: DocumentLinkParams) -> Result<Option<Vec<DocumentLink>>> {
        document_link::handle(self, p).await
    }

    async fn goto_definition(
        &self,
        p: GotoDefinitionParams,
    ) -> Result<Option<GotoDefinitionResponse>> {
        definition::handle(self, p).await
    }

    async fn symbol(&self, p: WorkspaceSymbolParams) -> Result<Option<WorkspaceSymbolResponse>> {
        workspace_symbol::handle(self, p).await
    }

    async fn diagnostic(
        &self,
        p: DocumentDiagnosticParams,
    ) -> Result<DocumentDiagnosticReportResult> {
        document_diagnostic::handle(self, p).await
    }

    async fn workspace_diagnostic(
        &self,
        p: WorkspaceDiagnosticParams,
    ) -> Result<WorkspaceDiagnosticReportResult> {
        workspace_diagnostic::handle(self, p).await
    }
}
