// The ExecPlan extension: starts execplan-ls for Markdown files that are
// plans, forwards the settings, and adds the plan commands and a status bar
// item with the plan's progress.
import * as fs from "fs";
import * as path from "path";
import { execFile } from "child_process";
import * as vscode from "vscode";
import {
  DocumentSelector,
  LanguageClient,
  LanguageClientOptions,
  ServerOptions,
  TransportKind,
} from "vscode-languageclient/node";
import { showOverview } from "./overview";
import { findServer } from "./server";
import { ProgressStatus } from "./status";

/** Where plans live by convention; `execplan.planGlobs` adds more. */
const PLAN_FOLDERS = [
  "**/.agent/plans/**/*.md",
  "**/.agent/execplans/**/*.md",
  "**/.agent/tasks/**/*.md",
  "**/.agents/plans/**/*.md",
  "**/.agents/exec-plans/**/*.md",
  "**/.ai/plans/**/*.md",
  "**/docs/execplans/**/*.md",
  "**/docs/exec-plans/**/*.md",
  "**/docs/plans/**/*.md",
  "**/plans/**/*.md",
  "**/*execplan*.md",
];

let client: LanguageClient | undefined;
let output: vscode.OutputChannel;
let status: ProgressStatus | undefined;

function config(): vscode.WorkspaceConfiguration {
  return vscode.workspace.getConfiguration("execplan");
}

/** The server's settings keys, from this extension's settings. */
export function serverSettings(c: vscode.WorkspaceConfiguration): Record<string, unknown> {
  const settings: Record<string, unknown> = {
    timestamp_style: c.get<string>("timestampStyle", "canonical"),
    plan_globs: c.get<string[]>("planGlobs", []),
    rules: c.get<Record<string, string>>("rules", {}),
    workspace_diagnostics: c.get<boolean>("workspaceDiagnostics", false),
  };
  const author = c.get<string>("author", "").trim();
  if (author) {
    settings.author = author;
  }
  const plansMd = c.get<string>("plansMd", "").trim();
  if (plansMd) {
    settings.plans_md = plansMd;
  }
  return settings;
}

function documentSelector(): DocumentSelector {
  const globs = [...PLAN_FOLDERS, ...config().get<string[]>("planGlobs", []).map((g) => `**/${g.replace(/^\/+/, "")}`)];
  return globs.map((pattern) => ({ language: "markdown", scheme: "file", pattern }));
}

async function start(context: vscode.ExtensionContext): Promise<void> {
  const server = findServer(config().get<string>("server.path", ""), context.extensionPath);
  if (!server.path) {
    const choice = await vscode.window.showErrorMessage(
      `ExecPlan: the execplan-ls server was not found (${server.looked}). Install it with ` +
        "`pipx install execplan-ls` (or `cargo install --locked --path server` from the execplan-ls " +
        "repository), or set " +
        "`execplan.server.path` to the binary.",
      "Open Settings",
    );
    if (choice === "Open Settings") {
      await vscode.commands.executeCommand("workbench.action.openSettings", "execplan.server.path");
    }
    return;
  }
  output.appendLine(`Starting ${server.path}`);
  // With stdio transport the client adds `--stdio` to the arguments itself.
  const serverOptions: ServerOptions = {
    run: { command: server.path, args: [], transport: TransportKind.stdio },
    debug: { command: server.path, args: [], transport: TransportKind.stdio },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: documentSelector(),
    outputChannel: output,
    initializationOptions: serverSettings(config()),
    synchronize: {
      fileEvents: [
        vscode.workspace.createFileSystemWatcher("**/.execplan.toml"),
        vscode.workspace.createFileSystemWatcher("**/*.md"),
      ],
    },
  };
  client = new LanguageClient("execplan", "ExecPlan", serverOptions, clientOptions);
  await client.start();
  status?.refresh();
}

async function stop(): Promise<void> {
  const running = client;
  client = undefined;
  if (running) {
    await running.stop();
  }
}

/** Applies the "Mark done" code action at the cursor, as the server offers it. */
async function markDone(): Promise<void> {
  const editor = vscode.window.activeTextEditor;
  if (!editor) {
    return;
  }
  const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>(
    "vscode.executeCodeActionProvider",
    editor.document.uri,
    editor.selection,
    vscode.CodeActionKind.RefactorRewrite.value,
  );
  const action = (actions ?? []).find((a) => a.title.startsWith("Mark done"));
  if (!action) {
    vscode.window.showInformationMessage("ExecPlan: the cursor is not on an open Progress item.");
    return;
  }
  if (action.edit) {
    await vscode.workspace.applyEdit(action.edit);
  }
  if (action.command) {
    await vscode.commands.executeCommand(action.command.command, ...(action.command.arguments ?? []));
  }
}

/** Asks for a title and writes a new plan with `execplan-ls new`. */
async function newPlan(context: vscode.ExtensionContext): Promise<void> {
  const server = findServer(config().get<string>("server.path", ""), context.extensionPath);
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!server.path || !folder) {
    vscode.window.showErrorMessage(
      server.path ? "ExecPlan: open a folder first." : "ExecPlan: the execplan-ls server was not found.",
    );
    return;
  }
  const title = await vscode.window.showInputBox({
    prompt: "Title of the new ExecPlan",
    placeHolder: "Add a result cache to the query service",
  });
  if (!title) {
    return;
  }
  execFile(server.path, ["new", title], { cwd: folder.uri.fsPath }, async (error, stdout, stderr) => {
    if (error) {
      vscode.window.showErrorMessage(`ExecPlan: ${stderr.trim() || error.message}`);
      return;
    }
    const written = path.resolve(folder.uri.fsPath, stdout.trim());
    if (fs.existsSync(written)) {
      await vscode.window.showTextDocument(vscode.Uri.file(written));
    }
  });
}

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  output = vscode.window.createOutputChannel("ExecPlan");
  status = new ProgressStatus(() => client);
  context.subscriptions.push(
    output,
    status,
    vscode.commands.registerCommand("execplan.restartServer", async () => {
      await stop();
      await start(context);
    }),
    vscode.commands.registerCommand("execplan.showOutput", () => output.show(true)),
    vscode.commands.registerCommand("execplan.newPlan", () => newPlan(context)),
    vscode.commands.registerCommand("execplan.markDone", markDone),
    vscode.commands.registerCommand("execplan.showOverview", () =>
      showOverview(findServer(config().get<string>("server.path", ""), context.extensionPath).path),
    ),
    vscode.workspace.onDidChangeConfiguration(async (event) => {
      if (!event.affectsConfiguration("execplan")) {
        return;
      }
      if (event.affectsConfiguration("execplan.server.path") || event.affectsConfiguration("execplan.planGlobs")) {
        await stop();
        await start(context);
      } else if (client) {
        await client.sendNotification("workspace/didChangeConfiguration", {
          settings: { execplan: serverSettings(config()) },
        });
      }
    }),
  );
  await start(context);
}

export async function deactivate(): Promise<void> {
  await stop();
}
