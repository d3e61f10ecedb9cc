//! `execplan-ls mcp`: a Model Context Protocol server over stdin and stdout,
//! for coding agents (Codex, Claude Code) that have no LSP client. A thin
//! front end on the official Rust SDK (`rmcp`): each tool parses its
//! arguments, resolves its path inside the workspace roots
//! ([`roots::Roots`]), calls engine functions and shapes the answer as
//! structured content with a short text beside it. No plan logic lives here.
//!
//! Failures a caller can act on (an unknown tool, arguments of the wrong
//! type, a missing file, an edit refused because the plan changed) are tool
//! errors (`isError: true` with a message), never protocol errors, and the
//! server keeps serving after each; a panic in a tool is caught and answered
//! the same way.

mod check;
mod edits;
mod findings;
mod new_plan;
mod roots;
mod rules;
mod status;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use rmcp::model::{
    CallToolRequestParams, CallToolResponse, CallToolResult, ContentBlock, Implementation,
    JsonObject, ListToolsResult, PaginatedRequestParams, ServerCapabilities, ServerConfig, Tool,
    ToolAnnotations,
};
use rmcp::service::RequestContext;
use rmcp::{ErrorData, RoleServer, ServerHandler, ServiceExt};
use serde::de::DeserializeOwned;
use serde_json::Value;

pub use roots::Roots;

/// A tool's answer: a short text for clients that read only text, and the
/// structured content.
pub struct Reply {
    pub text: String,
    pub data: Value,
}

pub type ToolResult = Result<Reply, String>;

/// The server's state: where it may read and write.
pub struct PlanServer {
    roots: Roots,
    tools: Vec<Tool>,
}

impl PlanServer {
    pub fn new(roots: Roots) -> PlanServer {
        PlanServer {
            roots,
            tools: vec![
                check::check_plan_tool(),
                status::plan_status_tool(),
                edits::mark_done_tool(),
                edits::log_decision_tool(),
                edits::log_surprise_tool(),
                edits::record_outcome_tool(),
                check::fix_plan_tool(),
                new_plan::new_plan_tool(),
                status::list_plans_tool(),
                rules::explain_rule_tool(),
            ],
        }
    }

    /// Runs one tool; every failure is a message for the caller.
    pub fn call(&self, name: &str, args: JsonObject) -> ToolResult {
        let roots = &self.roots;
        match name {
            "check_plan" => check::check_plan(roots, parse(name, args)?),
            "fix_plan" => check::fix_plan(roots, parse(name, args)?),
            "plan_status" => status::plan_status(roots, parse(name, args)?),
            "list_plans" => status::list_plans(roots, parse(name, args)?),
            "mark_done" => edits::mark_done(roots, parse(name, args)?),
            "log_decision" => edits::log_decision(roots, parse(name, args)?),
            "log_surprise" => edits::log_surprise(roots, parse(name, args)?),
            "record_outcome" => edits::record_outcome(roots, parse(name, args)?),
            "new_plan" => new_plan::new_plan(roots, parse(name, args)?),
            "explain_rule" => rules::explain_rule(parse(name, args)?),
            other => Err(format!(
                "unknown tool `{other}`; the tools are {}",
                self.tools
                    .iter()
                    .map(|t| t.name.as_ref())
                    .collect::<Vec<_>>()
                    .join(", ")
            )),
        }
    }

    fn answer(&self, name: &str, args: JsonObject) -> CallToolResult {
        let outcome =
            std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| self.call(name, args)));
        match outcome {
            Ok(Ok(reply)) => {
                let mut result = CallToolResult::structured(reply.data);
                result.content = vec![ContentBlock::text(reply.text)];
                result
            }
            Ok(Err(message)) => CallToolResult::error(vec![ContentBlock::text(message)]),
            Err(_) => CallToolResult::error(vec![ContentBlock::text(format!(
                "internal error in `{name}` (a bug in execplan-ls; the server keeps running): nothing was written"
            ))]),
        }
    }
}

/// The tool's arguments as its type; a clear message when they do not fit.
fn parse<T: DeserializeOwned>(tool: &str, args: JsonObject) -> Result<T, String> {
    serde_json::from_value(Value::Object(args))
        .map_err(|e| format!("invalid arguments for `{tool}`: {e}"))
}

/// A tool definition with the input schema of `T`.
fn tool<T: schemars::JsonSchema + 'static>(
    name: &'static str,
    description: &'static str,
    annotations: ToolAnnotations,
) -> Tool {
    Tool::new(name, description, JsonObject::new())
        .with_input_schema::<T>()
        .annotate(annotations)
}

/// Reads only.
fn read_only(title: &str) -> ToolAnnotations {
    ToolAnnotations::with_title(title)
        .read_only(true)
        .destructive(false)
        .idempotent(true)
        .open_world(false)
}

/// Writes by adding text (a stamp, an entry, a file), never removing any.
fn additive(title: &str, idempotent: bool) -> ToolAnnotations {
    ToolAnnotations::with_title(title)
        .read_only(false)
        .destructive(false)
        .idempotent(idempotent)
        .open_world(false)
}

/// Writes `after` over `path`, which must still read `before` (else another
/// writer got there first and nothing is written); through a temporary file
/// in the same folder, renamed over the plan, so a crash leaves one or the
/// other whole.
fn write_guarded(path: &Path, before: &str, after: &str) -> Result<(), String> {
    let current = std::fs::read_to_string(path).map_err(|e| {
        format!(
            "{}: cannot read it again before writing: {e}",
            path.display()
        )
    })?;
    if current != before {
        return Err(format!(
            "{} changed while the edit was being made; nothing was written: read it again and retry",
            path.display()
        ));
    }
    write_new_content(path, after)
}

fn write_new_content(path: &Path, text: &str) -> Result<(), String> {
    let folder = path.parent().unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
    let temp: PathBuf = folder.join(format!(".{name}.execplan-ls-{}.tmp", std::process::id()));
    let result = std::fs::write(&temp, text)
        .and_then(|_| {
            if let Ok(meta) = std::fs::metadata(path) {
                std::fs::set_permissions(&temp, meta.permissions())?;
            }
            std::fs::rename(&temp, path)
        })
        .map_err(|e| format!("{}: cannot write: {e}", path.display()));
    if result.is_err() {
        let _ = std::fs::remove_file(&temp);
    }
    result
}

/// A unified diff of the change, as `diff -u` prints it.
fn diff(path: &str, before: &str, after: &str) -> String {
    similar::TextDiff::from_lines(before, after)
        .unified_diff()
        .context_radius(2)
        .header(&format!("a/{path}"), &format!("b/{path}"))
        .to_string()
}

impl ServerHandler for PlanServer {
    fn get_info(&self) -> ServerConfig {
        ServerConfig::new(ServerCapabilities::builder().enable_tools().build())
            .with_server_info(Implementation::new("execplan-ls", env!("CARGO_PKG_VERSION")))
            .with_instructions(
                "Tools for ExecPlans (living Markdown design documents): check_plan after editing a plan, \
                 plan_status to see what is next, mark_done to tick a Progress item with the current UTC \
                 stamp, log_decision / log_surprise / record_outcome to append to the living sections in \
                 the plan's own style. Paths are relative to the workspace root.",
            )
    }

    async fn list_tools(
        &self,
        _request: Option<PaginatedRequestParams>,
        _context: RequestContext<RoleServer>,
    ) -> Result<ListToolsResult, ErrorData> {
        Ok(ListToolsResult {
            tools: self.tools.clone(),
            ..Default::default()
        })
    }

    async fn call_tool(
        &self,
        request: CallToolRequestParams,
        _context: RequestContext<RoleServer>,
    ) -> Result<CallToolResponse, ErrorData> {
        let args = request.arguments.unwrap_or_default();
        Ok(self.answer(&request.name, args).into())
    }

    fn get_tool(&self, name: &str) -> Option<Tool> {
        self.tools.iter().find(|t| t.name == name).cloned()
    }
}

/// Serves MCP on stdin/stdout until the client closes them.
pub fn run(roots: &[PathBuf]) -> ExitCode {
    let roots = match Roots::new(roots) {
        Ok(roots) => roots,
        Err(message) => {
            eprintln!("execplan-ls: {message}");
            return ExitCode::from(2);
        }
    };
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("execplan-ls: cannot start the async runtime: {e}");
            return ExitCode::from(2);
        }
    };
    runtime.block_on(async {
        let service = match PlanServer::new(roots).serve(rmcp::transport::stdio()).await {
            Ok(service) => service,
            Err(e) => {
                eprintln!("execplan-ls: MCP initialisation failed: {e}");
                return ExitCode::from(1);
            }
        };
        match service.waiting().await {
            Ok(_) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("execplan-ls: MCP server stopped: {e}");
                ExitCode::from(1)
            }
        }
    })
}
