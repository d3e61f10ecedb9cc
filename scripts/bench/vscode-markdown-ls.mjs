#!/usr/bin/env node
// VS Code's Markdown language server (npm `vscode-markdown-languageserver`)
// with the editor's side of its protocol, for the side-by-side bench
// (server/benches/lsp_vs_rumdl.rs). That server does not parse Markdown
// itself: it asks its client (`markdown/parse`) for markdown-it's tokens of
// a document, and reads the workspace through the client too
// (`markdown/fs/*`, `markdown/findMarkdownFilesInWorkspace`). In VS Code the
// extension host answers those; here this process does, the same way (one
// markdown-it, tokens cached per document version, as VS Code's
// `MarkdownItEngine` caches them), and passes every other message through
// unchanged. So a timed `documentSymbol` includes the tokenising, as it does
// in VS Code. Installed by scripts/bench/vscode-markdown-ls.sh.
import { spawn } from "node:child_process";
import { createRequire } from "node:module";
import { readFileSync, readdirSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const prefix = process.env.VSCODE_MARKDOWN_LS_PREFIX ?? join(here, "../../.cache/bench/vscode-markdown-ls");
const require = createRequire(join(prefix, "node_modules", "index.js"));
const MarkdownIt = require("markdown-it");
const md = new MarkdownIt({ html: true, linkify: true });
const serverMain = require.resolve("vscode-markdown-languageserver");

const server = spawn(process.execPath, [serverMain, "--stdio"], { stdio: ["pipe", "pipe", "inherit"] });
server.on("exit", (code) => process.exit(code ?? 0));

/** Reads LSP frames from `stream`, calling `each(message, raw)`. */
function frames(stream, each) {
  let buf = Buffer.alloc(0);
  stream.on("data", (chunk) => {
    buf = buf.length ? Buffer.concat([buf, chunk]) : chunk;
    for (;;) {
      const end = buf.indexOf("\r\n\r\n");
      if (end < 0) return;
      const header = buf.subarray(0, end).toString("ascii");
      const m = /content-length:\s*(\d+)/i.exec(header);
      const length = m ? Number(m[1]) : 0;
      if (buf.length < end + 4 + length) return;
      const raw = buf.subarray(0, end + 4 + length);
      const body = buf.subarray(end + 4, end + 4 + length);
      buf = buf.subarray(end + 4 + length);
      each(JSON.parse(body.toString("utf8")), raw);
    }
  });
}

function send(stream, message) {
  const body = Buffer.from(JSON.stringify(message), "utf8");
  stream.write(Buffer.concat([Buffer.from(`Content-Length: ${body.length}\r\n\r\n`, "ascii"), body]));
}

/** The editor's documents: uri → { version, text }. */
const documents = new Map();
/** markdown-it tokens by uri, for one version. */
const tokens = new Map();

function offsetAt(text, { line, character }) {
  let at = 0;
  for (let l = 0; l < line; l++) {
    const nl = text.indexOf("\n", at);
    if (nl < 0) return text.length;
    at = nl + 1;
  }
  return Math.min(at + character, text.length);
}

function track(message) {
  const p = message.params;
  switch (message.method) {
    case "textDocument/didOpen":
      documents.set(p.textDocument.uri, { version: p.textDocument.version, text: p.textDocument.text });
      break;
    case "textDocument/didChange": {
      const doc = documents.get(p.textDocument.uri);
      if (!doc) break;
      for (const change of p.contentChanges) {
        if (change.range) {
          const start = offsetAt(doc.text, change.range.start);
          const end = offsetAt(doc.text, change.range.end);
          doc.text = doc.text.slice(0, start) + change.text + doc.text.slice(end);
        } else {
          doc.text = change.text;
        }
      }
      doc.version = p.textDocument.version;
      break;
    }
    case "textDocument/didClose":
      documents.delete(p.textDocument.uri);
      tokens.delete(p.textDocument.uri);
      break;
  }
}

function tokenize(uri, text) {
  if (text !== undefined) return md.parse(text, {});
  const doc = documents.get(uri);
  if (doc) {
    const cached = tokens.get(uri);
    if (cached && cached.version === doc.version) return cached.tokens;
    const fresh = md.parse(doc.text, {});
    tokens.set(uri, { version: doc.version, tokens: fresh });
    return fresh;
  }
  return md.parse(readFileSync(fileURLToPath(uri), "utf8"), {});
}

function markdownFiles(dir, out) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === ".git" || entry.name === "node_modules") continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) markdownFiles(path, out);
    else if (entry.name.endsWith(".md")) out.push(pathToFileURL(path).toString());
  }
  return out;
}

let roots = [];

/** The answer to one of the server's own requests to the editor, or undefined to pass it on. */
function answer(message) {
  const p = message.params ?? {};
  switch (message.method) {
    case "markdown/parse":
      return tokenize(p.uri, p.text);
    case "markdown/fs/stat":
      try {
        return { isDirectory: statSync(fileURLToPath(p.uri)).isDirectory() };
      } catch {
        return null;
      }
    case "markdown/fs/readFile":
      return Array.from(readFileSync(fileURLToPath(p.uri)));
    case "markdown/fs/readDirectory":
      return readdirSync(fileURLToPath(p.uri), { withFileTypes: true }).map((e) => [
        e.name,
        { isDirectory: e.isDirectory() },
      ]);
    case "markdown/findMarkdownFilesInWorkspace":
      return roots.flatMap((r) => markdownFiles(r, []));
    case "markdown/fs/watcher/create":
    case "markdown/fs/watcher/delete":
      return null;
    default:
      return undefined;
  }
}

frames(process.stdin, (message, raw) => {
  if (message.method === "initialize") {
    const p = message.params;
    roots = (p.workspaceFolders ?? []).map((f) => fileURLToPath(f.uri));
    if (!roots.length && p.rootUri) roots = [fileURLToPath(p.rootUri)];
  }
  track(message);
  server.stdin.write(raw);
});
process.stdin.on("end", () => server.stdin.end());

frames(server.stdout, (message, raw) => {
  if (message.id !== undefined && message.method) {
    let result;
    try {
      result = answer(message);
    } catch (e) {
      send(server.stdin, { jsonrpc: "2.0", id: message.id, error: { code: -32603, message: String(e) } });
      return;
    }
    if (result !== undefined) {
      send(server.stdin, { jsonrpc: "2.0", id: message.id, result });
      return;
    }
  }
  process.stdout.write(raw);
});
