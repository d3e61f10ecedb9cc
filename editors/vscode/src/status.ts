// The status bar item: the open plan's Progress count, read from the
// server's outline (the Progress symbol's detail is "<done>/<total> done").
import * as vscode from "vscode";
import { LanguageClient } from "vscode-languageclient/node";

interface Symbol {
  name: string;
  detail?: string;
  children?: Symbol[];
}

/** The Progress detail anywhere in an outline. */
export function progressDetail(symbols: Symbol[]): string | undefined {
  for (const symbol of symbols) {
    if (symbol.name === "Progress" && symbol.detail) {
      return symbol.detail;
    }
    const inner = progressDetail(symbol.children ?? []);
    if (inner) {
      return inner;
    }
  }
  return undefined;
}

export class ProgressStatus implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem(vscode.StatusBarAlignment.Left, 50);
  private readonly listeners: vscode.Disposable[];
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly client: () => LanguageClient | undefined) {
    this.item.name = "ExecPlan progress";
    this.item.tooltip = "Progress items done in this ExecPlan";
    this.item.command = "execplan.showOutput";
    this.listeners = [
      vscode.window.onDidChangeActiveTextEditor(() => this.refresh()),
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (e.document === vscode.window.activeTextEditor?.document) {
          this.refresh();
        }
      }),
    ];
  }

  /** Updates the item shortly after the last change. */
  refresh(): void {
    if (this.timer) {
      clearTimeout(this.timer);
    }
    this.timer = setTimeout(() => void this.update(), 300);
  }

  private async update(): Promise<void> {
    const editor = vscode.window.activeTextEditor;
    const client = this.client();
    if (!editor || editor.document.languageId !== "markdown" || !client?.isRunning()) {
      this.item.hide();
      return;
    }
    try {
      const symbols = await client.sendRequest<Symbol[] | null>("textDocument/documentSymbol", {
        textDocument: { uri: editor.document.uri.toString() },
      });
      const detail = progressDetail(symbols ?? []);
      if (!detail) {
        this.item.hide();
        return;
      }
      this.item.text = `$(checklist) ${detail.replace(/ done$/, "")}`;
      this.item.show();
    } catch {
      this.item.hide();
    }
  }

  dispose(): void {
    if (this.timer) {
      clearTimeout(this.timer);
    }
    this.listeners.forEach((l) => l.dispose());
    this.item.dispose();
  }
}
