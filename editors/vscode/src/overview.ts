// "ExecPlan: Show Plans Overview": runs `execplan-ls report` in the workspace
// folder and shows the page it writes (one self-contained HTML page, every
// plan's progress, pace and findings) in a webview. Running the command again
// refreshes the page.
import { execFile } from "child_process";
import * as vscode from "vscode";

let panel: vscode.WebviewPanel | undefined;

export function showOverview(server: string | undefined): void {
  const folder = vscode.window.activeTextEditor
    ? vscode.workspace.getWorkspaceFolder(vscode.window.activeTextEditor.document.uri)
    : vscode.workspace.workspaceFolders?.[0];
  if (!server || !folder) {
    vscode.window.showErrorMessage(
      server ? "ExecPlan: open a folder first." : "ExecPlan: the execplan-ls server was not found.",
    );
    return;
  }
  execFile(
    server,
    ["report", "--format", "html"],
    { cwd: folder.uri.fsPath, maxBuffer: 256 * 1024 * 1024 },
    (error, stdout, stderr) => {
      // `report` exits 2 when some file could not be read but still writes the
      // page for the others; only an empty page is a failure.
      if (!stdout.trim()) {
        vscode.window.showErrorMessage(`ExecPlan: ${stderr.trim() || error?.message || "report wrote nothing"}`);
        return;
      }
      if (!panel) {
        panel = vscode.window.createWebviewPanel(
          "execplan.overview",
          "Plans Overview",
          vscode.ViewColumn.Active,
          // The page's own script sorts the table; it loads nothing.
          { enableScripts: true, localResourceRoots: [] },
        );
        panel.onDidDispose(() => {
          panel = undefined;
        });
      } else {
        panel.reveal();
      }
      panel.title = `Plans Overview: ${folder.name}`;
      panel.webview.html = stdout;
    },
  );
}
