"""Protocol conformance of execplan-ls, checked with the LSP's own types.

Runs the server binary over stdio twice: as a client that declares every
capability, and as one that declares none. Drives many methods in each
session, then structures every message the server sent into its lsprotocol
type (LSP 3.17, generated from the specification's meta-model), unstructures
it again and compares: a wrong enum value, a misspelled or extra member, a
missing required one or a member of the wrong type fails. Then checks that
each answer uses only what the client declared (hover format, symbol shape,
code action literals, documentChanges, snippets, ...).

    python lsp_conformance.py path/to/execplan-ls

Exits 1 when a check fails that is not in KNOWN_FAILURES.
"""

import json
import os
import queue
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

from cattrs import transform_error
from lsprotocol import types as lsp
from lsprotocol.converters import get_converter

# Checks that fail on today's code for a reason outside this branch's work;
# each is printed as a known failure on every run, so the list is seen.
# A check listed here that passes is reported, so the entry can be removed.
KNOWN_FAILURES = {
    # Capability handling (issue 15 item 2) is done; nothing is known to fail.
}

CONVERTER = get_converter()
TIMEOUT = 20

PLAN = """# Add a cache

This ExecPlan is a living document. The sections `Progress`, `Surprises & Discoveries`, `Decision Log`, and `Outcomes & Retrospective` must be kept up to date as work proceeds.

## Purpose / Big Picture

Users get answers faster. The cache sits in `src/lib.rs`; see [the library](../../src/lib.rs).

## Progress

- [x] Wrote the cache.
- [ ] Measure it.
- [ ] Document it.

## Decision Log

- Decision: Use an LRU.
  Rationale: Bounded memory.
  Date/Author: 2026-01-05 / Ada

## 

## Outcomes & Retrospective

None yet.

## Context and Orientation

The server lives in the `src` folder.

## Plan of Work

Add the cache.

### Milestone 1: Cache

Build it.

## Concrete Steps

Run the tests.

## Validation and Acceptance

The tests pass.

## Idempotence and Recovery

Every step can be repeated.

## Artifacts and Notes

None yet.

## Interfaces and Dependencies

No new dependency.
"""

ALL_SYMBOL_KINDS = list(range(1, 27))
ALL_COMPLETION_KINDS = list(range(1, 26))
ALL_ACTION_KINDS = [
    "",
    "quickfix",
    "refactor",
    "refactor.extract",
    "refactor.inline",
    "refactor.rewrite",
    "source",
    "source.organizeImports",
    "source.fixAll",
]

RICH = {
    "general": {
        "positionEncodings": ["utf-8", "utf-16"],
        "markdown": {"parser": "marked", "version": "1.1.0"},
        "staleRequestSupport": {"cancel": True, "retryOnContentModified": []},
        "regularExpressions": {"engine": "ECMAScript", "version": "ES2020"},
    },
    "window": {
        "workDoneProgress": True,
        "showMessage": {"messageActionItem": {"additionalPropertiesSupport": True}},
        "showDocument": {"support": True},
    },
    "workspace": {
        "applyEdit": True,
        "workspaceEdit": {
            "documentChanges": True,
            "resourceOperations": ["create", "rename", "delete"],
            "failureHandling": "textOnlyTransactional",
            "normalizesLineEndings": True,
            "changeAnnotationSupport": {"groupsOnLabel": True},
        },
        "didChangeConfiguration": {"dynamicRegistration": True},
        "didChangeWatchedFiles": {"dynamicRegistration": True, "relativePatternSupport": True},
        "symbol": {
            "symbolKind": {"valueSet": ALL_SYMBOL_KINDS},
            "tagSupport": {"valueSet": [1]},
            "resolveSupport": {"properties": ["location.range"]},
        },
        "executeCommand": {"dynamicRegistration": True},
        "workspaceFolders": True,
        "configuration": True,
        "semanticTokens": {"refreshSupport": True},
        "codeLens": {"refreshSupport": True},
        "inlayHint": {"refreshSupport": True},
        "inlineValue": {"refreshSupport": True},
        "diagnostics": {"refreshSupport": True},
        "fileOperations": {
            "didCreate": True, "willCreate": True, "didRename": True,
            "willRename": True, "didDelete": True, "willDelete": True,
        },
    },
    "textDocument": {
        "synchronization": {"didSave": True, "willSave": True, "willSaveWaitUntil": True},
        "completion": {
            "completionItem": {
                "snippetSupport": True,
                "commitCharactersSupport": True,
                "documentationFormat": ["markdown", "plaintext"],
                "deprecatedSupport": True,
                "preselectSupport": True,
                "tagSupport": {"valueSet": [1]},
                "insertReplaceSupport": True,
                "resolveSupport": {"properties": ["documentation", "detail"]},
                "insertTextModeSupport": {"valueSet": [1, 2]},
                "labelDetailsSupport": True,
            },
            "completionItemKind": {"valueSet": ALL_COMPLETION_KINDS},
            "contextSupport": True,
            "insertTextMode": 2,
            "completionList": {
                "itemDefaults": ["commitCharacters", "editRange", "insertTextFormat", "insertTextMode", "data"]
            },
        },
        "hover": {"contentFormat": ["markdown", "plaintext"]},
        "signatureHelp": {"signatureInformation": {"documentationFormat": ["markdown", "plaintext"]}},
        "definition": {"linkSupport": True},
        "documentSymbol": {
            "symbolKind": {"valueSet": ALL_SYMBOL_KINDS},
            "hierarchicalDocumentSymbolSupport": True,
            "tagSupport": {"valueSet": [1]},
            "labelSupport": True,
        },
        "codeAction": {
            "codeActionLiteralSupport": {"codeActionKind": {"valueSet": ALL_ACTION_KINDS}},
            "isPreferredSupport": True,
            "disabledSupport": True,
            "dataSupport": True,
            "resolveSupport": {"properties": ["edit"]},
            "honorsChangeAnnotations": True,
        },
        "codeLens": {},
        "documentLink": {"tooltipSupport": True},
        "foldingRange": {
            "lineFoldingOnly": False,
            "foldingRangeKind": {"valueSet": ["comment", "imports", "region"]},
            "foldingRange": {"collapsedText": True},
        },
        "publishDiagnostics": {
            "relatedInformation": True,
            "tagSupport": {"valueSet": [1, 2]},
            "versionSupport": True,
            "codeDescriptionSupport": True,
            "dataSupport": True,
        },
        "diagnostic": {"relatedDocumentSupport": True},
        "inlayHint": {"resolveSupport": {"properties": ["tooltip", "label.tooltip"]}},
        "declaration": {"linkSupport": True},
        "typeDefinition": {"linkSupport": True},
        "implementation": {"linkSupport": True},
        "references": {},
        "documentHighlight": {},
        "colorProvider": {},
        "formatting": {},
        "rangeFormatting": {"rangesSupport": True},
        "onTypeFormatting": {},
        "rename": {"prepareSupport": True, "prepareSupportDefaultBehavior": 1, "honorsChangeAnnotations": True},
        "selectionRange": {},
        "linkedEditingRange": {},
        "callHierarchy": {},
        "typeHierarchy": {},
        "inlineValue": {},
        "moniker": {},
        "semanticTokens": {
            "requests": {"range": True, "full": {"delta": True}},
            "tokenTypes": ["namespace", "type", "class", "function", "variable", "string", "comment", "keyword"],
            "tokenModifiers": ["declaration", "definition", "readonly", "deprecated"],
            "formats": ["relative"],
            "overlappingTokenSupport": True,
            "multilineTokenSupport": True,
            "serverCancelSupport": True,
            "augmentsSyntaxTokens": True,
        },
    },
}


def get(obj, *path, default=None):
    for key in path:
        if not isinstance(obj, dict) or key not in obj:
            return default
        obj = obj[key]
    return obj


class Checks:
    """Named checks; each fails with the first few messages that broke it."""

    def __init__(self):
        self.results = {}

    def ok(self, name):
        self.results.setdefault(name, [])

    def fail(self, name, detail):
        self.results.setdefault(name, []).append(detail)

    def check(self, name, passed, detail=""):
        if passed:
            self.ok(name)
        else:
            self.fail(name, detail)


def strip_nulls(value):
    if isinstance(value, dict):
        return {k: strip_nulls(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [strip_nulls(v) for v in value]
    return value


def first_difference(a, b, path="$"):
    if type(a) is not type(b):
        return f"{path}: {json.dumps(a)[:120]} became {json.dumps(b)[:120]}"
    if isinstance(a, dict):
        for key in sorted(set(a) | set(b)):
            if key not in b:
                return f"{path}.{key}: not in the specification's type (dropped)"
            if key not in a:
                return f"{path}.{key}: added on the way back"
            found = first_difference(a[key], b[key], f"{path}.{key}")
            if found:
                return found
        return None
    if isinstance(a, list):
        if len(a) != len(b):
            return f"{path}: {len(a)} items became {len(b)}"
        for i, (x, y) in enumerate(zip(a, b)):
            found = first_difference(x, y, f"{path}[{i}]")
            if found:
                return found
        return None
    return None if a == b else f"{path}: {a!r} became {b!r}"


class Session:
    def __init__(self, binary, root, name, capabilities):
        self.name = name
        self.capabilities = capabilities
        self.root = root
        self.proc = subprocess.Popen(
            [binary], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL, cwd=root,
        )
        self.inbox = queue.Queue()
        self.sent_by_server = []  # (message, the method of our request it answers)
        self.pending = {}
        self.next_id = 1
        self.notifications = []
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self):
        out = self.proc.stdout
        while True:
            length = None
            while True:
                line = out.readline()
                if not line:
                    self.inbox.put(None)
                    return
                if line == b"\r\n":
                    break
                name, _, value = line.decode("ascii").partition(":")
                if name.lower() == "content-length":
                    length = int(value.strip())
            self.inbox.put(json.loads(out.read(length).decode("utf-8")))

    def send(self, message):
        body = json.dumps(message).encode("utf-8")
        self.proc.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.proc.stdin.flush()

    def notify(self, method, params):
        self.send({"jsonrpc": "2.0", "method": method, "params": params})

    def _take(self):
        message = self.inbox.get(timeout=TIMEOUT)
        if message is None:
            raise RuntimeError(f"{self.name}: the server closed its output")
        if "method" in message:
            self.sent_by_server.append((message, None))
            if "id" in message:
                self.send({"jsonrpc": "2.0", "id": message["id"], "result": self._answer(message)})
            else:
                self.notifications.append(message)
        else:
            method = self.pending.pop(message.get("id"), None)
            self.sent_by_server.append((message, method))
        return message

    def _answer(self, request):
        method = request["method"]
        if method == "workspace/configuration":
            return [None for _ in get(request, "params", "items", default=[])]
        if method == "workspace/applyEdit":
            return {"applied": True}
        return None

    def request(self, method, params):
        request_id = self.next_id
        self.next_id += 1
        self.pending[request_id] = method
        self.send({"jsonrpc": "2.0", "id": request_id, "method": method, "params": params})
        while True:
            message = self._take()
            if "method" not in message and message.get("id") == request_id:
                return message

    def wait_for(self, predicate):
        for message in self.notifications:
            if predicate(message):
                return message
        while True:
            message = self._take()
            if "method" in message and "id" not in message and predicate(message):
                return message

    def settle(self, seconds=0.5):
        """Reads what the server sends for a moment, answering its requests."""
        try:
            while True:
                message = self.inbox.get(timeout=seconds)
                if message is None:
                    return
                self._handle_late(message)
        except queue.Empty:
            pass

    def _handle_late(self, message):
        if "method" in message:
            self.sent_by_server.append((message, None))
            if "id" in message:
                self.send({"jsonrpc": "2.0", "id": message["id"], "result": self._answer(message)})
            else:
                self.notifications.append(message)
        else:
            self.sent_by_server.append((message, self.pending.pop(message.get("id"), None)))


def drive(session, checks, uri):
    """Sends every method the server offers; returns the initialize answer."""
    name = session.name
    init = session.request("initialize", {
        "processId": os.getpid(),
        "clientInfo": {"name": "lsp-conformance", "version": "1"},
        "rootUri": Path(session.root).as_uri(),
        "workspaceFolders": [{"uri": Path(session.root).as_uri(), "name": "repo"}],
        "capabilities": session.capabilities,
    })
    server = get(init, "result", "capabilities", default={})
    session.notify("initialized", {})
    session.notify("textDocument/didOpen", {"textDocument": {
        "uri": uri, "languageId": "markdown", "version": 1, "text": PLAN}})
    lines = PLAN.split("\n")
    measure = lines.index("- [ ] Measure it.")
    empty_heading = lines.index("## ")
    session.notify("textDocument/didChange", {
        "textDocument": {"uri": uri, "version": 2},
        "contentChanges": [{"range": {"start": {"line": 6, "character": 0},
                                      "end": {"line": 6, "character": 0}}, "text": "Soon. "}]})
    lines[6] = "Soon. " + lines[6]
    pulls = get(session.capabilities, "textDocument", "diagnostic") is not None
    if pulls and server.get("diagnosticProvider"):
        answer = session.request("textDocument/diagnostic", {"textDocument": {"uri": uri}})
        items = get(answer, "result", "items", default=[])
        checks.check(f"{name}: pull diagnostics report the plan's findings", bool(items), json.dumps(answer)[:200])
        diagnostics = items
        session.request("workspace/diagnostic", {"previousResultIds": []})
    else:
        published = session.wait_for(lambda m: m["method"] == "textDocument/publishDiagnostics"
                                     and get(m, "params", "uri") == uri
                                     and (get(m, "params", "version") or 0) >= 2)
        diagnostics = get(published, "params", "diagnostics", default=[])
        checks.check(f"{name}: diagnostics are pushed to a client that does not pull", bool(diagnostics), "")
    doc = {"textDocument": {"uri": uri}}

    def at(line, character):
        return {"textDocument": {"uri": uri}, "position": {"line": line, "character": character}}

    completion = session.request("textDocument/completion", at(empty_heading, 3))
    labels = [i.get("label") for i in completion_items(completion.get("result"))]
    checks.check(f"{name}: completion offers the missing section", "## Surprises & Discoveries" in labels, str(labels))
    path_line = next(i for i, line in enumerate(lines) if "`src/lib.rs`" in line)
    on_path = at(path_line, lines[path_line].index("src/lib.rs") + 2)

    def answered(method, params):
        answer = session.request(method, params)
        checks.check(f"{name}: {method} answers with content", bool(answer.get("result")), json.dumps(answer)[:200])
        return answer

    answered("textDocument/hover", at(lines.index("## Progress"), 4))
    answered("textDocument/hover", on_path)
    answered("textDocument/documentSymbol", doc)
    whole = {"start": {"line": 0, "character": 0}, "end": {"line": len(lines), "character": 0}}
    session.request("textDocument/codeAction", {**doc, "range": whole,
                                                "context": {"diagnostics": diagnostics}})
    actions = session.request("textDocument/codeAction", {**doc, "range": {
        "start": {"line": measure, "character": 3}, "end": {"line": measure, "character": 3}},
        "context": {"diagnostics": []}})
    titles = [a.get("title") for a in actions.get("result") or []]
    checks.check(f"{name}: a code action marks the Progress item done",
                 any("done" in (t or "").lower() for t in titles), str(titles))
    execute = get(server, "executeCommandProvider", "commands", default=[])
    for action in actions.get("result") or []:
        command = action if isinstance(action.get("command"), str) else action.get("command")
        if isinstance(command, dict) and command.get("command") in execute:
            session.request("workspace/executeCommand", {
                "command": command["command"], "arguments": command.get("arguments", [])})
    answered("textDocument/codeLens", doc)
    answered("textDocument/foldingRange", doc)
    answered("textDocument/documentLink", doc)
    answered("textDocument/definition", on_path)
    answered("workspace/symbol", {"query": "cache"})
    if server.get("inlayHintProvider"):
        answered("textDocument/inlayHint", {**doc, "range": whole})
    session.notify("textDocument/didSave", doc)
    session.notify("workspace/didChangeConfiguration", {"settings": {}})
    session.settle()
    session.notify("textDocument/didClose", doc)
    session.settle(0.3)
    answer = session.request("shutdown", None)
    checks.check(f"{name}: shutdown answers null", "result" in answer and answer["result"] is None, json.dumps(answer))
    session.notify("exit", None)
    try:
        code = session.proc.wait(timeout=TIMEOUT)
    except subprocess.TimeoutExpired:
        session.proc.kill()
        code = "still running"
    checks.check(f"{name}: exit status 0 after shutdown", code == 0, f"status {code}")
    session.reader.join(timeout=TIMEOUT)
    while True:
        try:
            message = session.inbox.get_nowait()
        except queue.Empty:
            break
        if message is not None:
            session._handle_late(message)
    return init


def completion_items(result):
    if isinstance(result, dict):
        return result.get("items") or []
    return result or []


def structure(checks, name, message, method):
    """Structures one message into its type, and back; records the result."""
    if "method" in message:
        method = message["method"]
        kind = "request" if "id" in message else "notification"
        types = lsp.METHOD_TO_TYPES.get(method)
        cls = types[0] if types else None
    else:
        kind = "response"
        if method is None:
            checks.fail(f"{name}: every response answers a request", json.dumps(message)[:200])
            return None
        if not ("result" in message) ^ ("error" in message):
            checks.fail(f"{name}: response to {method} has a result or an error", json.dumps(message)[:200])
            return None
        types = lsp.METHOD_TO_TYPES.get(method)
        cls = lsp.ResponseErrorMessage if "error" in message else (types[1] if types else None)
    check = f"{name}: {kind} {method} fits the specification"
    if cls is None:
        checks.fail(check, "a method the specification does not have")
        return None
    try:
        structured = CONVERTER.structure(message, cls)
        back = json.loads(json.dumps(CONVERTER.unstructure(structured, cls)))
    except Exception as e:  # cattrs raises a group of errors
        try:
            detail = "; ".join(transform_error(e, path="$")[:3])
        except Exception:
            detail = str(e)
        checks.fail(check, f"{detail[:300]}: {json.dumps(message)[:200]}")
        return None
    found = first_difference(strip_nulls(message), strip_nulls(back))
    checks.check(check, found is None, f"{found}: {json.dumps(message)[:200]}")
    return structured


def semantic_checks(checks, name, caps, init, sent):
    """What each answer may use, given what the client declared."""
    td = caps.get("textDocument", {})
    ws = caps.get("workspace", {})
    server = get(init, "result", "capabilities", default={})

    offered = get(caps, "general", "positionEncodings", default=["utf-16"])
    encoding = server.get("positionEncoding", "utf-16")
    checks.check(f"{name}: position encoding is one the client offered", encoding in offered + ["utf-16"], encoding)

    hover_formats = get(td, "hover", "contentFormat", default=["plaintext"]) or ["plaintext"]
    documentation_formats = get(td, "completion", "completionItem", "documentationFormat", default=["plaintext"]) or ["plaintext"]
    hierarchical = get(td, "documentSymbol", "hierarchicalDocumentSymbolSupport", default=False)
    literals = get(td, "codeAction", "codeActionLiteralSupport") is not None
    action_kinds = get(td, "codeAction", "codeActionLiteralSupport", "codeActionKind", "valueSet", default=[])
    document_changes = get(ws, "workspaceEdit", "documentChanges", default=False)
    snippets = get(td, "completion", "completionItem", "snippetSupport", default=False)
    label_details = get(td, "completion", "completionItem", "labelDetailsSupport", default=False)
    insert_replace = get(td, "completion", "completionItem", "insertReplaceSupport", default=False)
    tooltip = get(td, "documentLink", "tooltipSupport", default=False)
    link_support = get(td, "definition", "linkSupport", default=False)
    diag_tags = get(td, "publishDiagnostics", "tagSupport", "valueSet", default=[])
    code_description = get(td, "publishDiagnostics", "codeDescriptionSupport", default=False)
    related = get(td, "publishDiagnostics", "relatedInformation", default=False)
    collapsed = get(td, "foldingRange", "foldingRange", "collapsedText", default=False)
    fold_kinds = get(td, "foldingRange", "foldingRangeKind", "valueSet", default=None)
    symbol_tags = get(td, "documentSymbol", "tagSupport", "valueSet", default=[])

    def edits_ok(edit, where):
        if not isinstance(edit, dict):
            return
        checks.check(f"{name}: workspace edits use documentChanges only when the client supports them",
                     document_changes or "documentChanges" not in edit, f"{where}: {json.dumps(edit)[:200]}")
        checks.check(f"{name}: workspace edits carry changes the client can apply",
                     bool(edit.get("changes") or edit.get("documentChanges")), f"{where}: {json.dumps(edit)[:200]}")

    def diagnostics_ok(diagnostics, where):
        for d in diagnostics:
            checks.check(f"{name}: diagnostic tags only from the client's tagSupport",
                         all(t in diag_tags for t in d.get("tags") or []), f"{where}: {d.get('tags')}")
            checks.check(f"{name}: diagnostic codeDescription only with codeDescriptionSupport",
                         code_description or "codeDescription" not in d, where)
            checks.check(f"{name}: diagnostic relatedInformation only with relatedInformation support",
                         related or "relatedInformation" not in d, where)

    for message, method in sent:
        if "method" in message:
            m = message["method"]
            params = message.get("params") or {}
            if m == "textDocument/publishDiagnostics":
                diagnostics_ok(params.get("diagnostics") or [], m)
            if "id" not in message:
                continue
            needs = {
                "window/workDoneProgress/create": get(caps, "window", "workDoneProgress", default=False),
                "workspace/configuration": ws.get("configuration", False),
                "workspace/codeLens/refresh": get(ws, "codeLens", "refreshSupport", default=False),
                "workspace/diagnostic/refresh": get(ws, "diagnostics", "refreshSupport", default=False),
                "workspace/inlayHint/refresh": get(ws, "inlayHint", "refreshSupport", default=False),
                "workspace/semanticTokens/refresh": get(ws, "semanticTokens", "refreshSupport", default=False),
                "workspace/applyEdit": ws.get("applyEdit", False),
                "window/showDocument": get(caps, "window", "showDocument", "support", default=False),
            }
            if m == "client/registerCapability":
                for registration in params.get("registrations") or []:
                    what = registration.get("method", "")
                    section = {"workspace/didChangeWatchedFiles": get(ws, "didChangeWatchedFiles"),
                               "workspace/didChangeConfiguration": get(ws, "didChangeConfiguration"),
                               "workspace/executeCommand": get(ws, "executeCommand")}.get(what)
                    if section is None:
                        section = get(td, what.split("/")[-1]) if what.startswith("textDocument/") else None
                    checks.check(f"{name}: the server registers only what the client registers dynamically",
                                 bool(get(section or {}, "dynamicRegistration")), what)
            elif m in needs:
                checks.check(f"{name}: the server sends {m} only when the client declared it", bool(needs[m]), m)
            if m == "workspace/applyEdit":
                edits_ok(params.get("edit"), m)
            continue
        result = message.get("result")
        if method == "textDocument/hover" and isinstance(result, dict):
            contents = result.get("contents")
            if isinstance(contents, dict) and "kind" in contents:
                checks.check(f"{name}: hover content is in a format the client declared",
                             contents["kind"] in hover_formats, f"{contents['kind']} not in {hover_formats}")
                if contents["kind"] == "plaintext":
                    value = contents.get("value", "")
                    marks = [m for m in ("**", "`", "](", "\n#") if m in value]
                    checks.check(f"{name}: plaintext hover carries no Markdown markup", not marks,
                                 f"{marks} in {value[:160]!r}")
            else:
                checks.check(f"{name}: hover content is in a format the client declared",
                             "markdown" in hover_formats or isinstance(contents, str), json.dumps(contents)[:120])
        elif method == "textDocument/documentSymbol" and isinstance(result, list) and result:
            nested = "selectionRange" in result[0]
            checks.check(f"{name}: document symbols are nested only with hierarchicalDocumentSymbolSupport",
                         hierarchical or not nested, "DocumentSymbol[] sent")
            if nested:
                stack = list(result)
                while stack:
                    symbol = stack.pop()
                    stack.extend(symbol.get("children") or [])
                    checks.check(f"{name}: symbol tags only from the client's tagSupport",
                                 all(t in symbol_tags for t in symbol.get("tags") or []), symbol.get("name"))
        elif method == "textDocument/codeAction" and isinstance(result, list):
            for action in result:
                is_command = isinstance(action.get("command"), str)
                checks.check(f"{name}: code actions are Commands without codeActionLiteralSupport",
                             literals or is_command, f"a CodeAction literal: {action.get('title')}")
                if is_command:
                    checks.check(f"{name}: a Command names a command", bool(action["command"]), action.get("title"))
                elif literals:
                    kind = action.get("kind")
                    checks.check(f"{name}: code action kinds are ones the client declared",
                                 kind is None or any(kind == k or kind.startswith(k + ".") for k in action_kinds if k) or "" in action_kinds,
                                 kind)
                if not is_command:
                    edits_ok(action.get("edit"), f"code action {action.get('title')}")
        elif method == "textDocument/completion":
            for item in completion_items(result):
                checks.check(f"{name}: completion snippets only with snippetSupport",
                             snippets or item.get("insertTextFormat") != 2, item.get("label"))
                checks.check(f"{name}: completion labelDetails only with labelDetailsSupport",
                             label_details or "labelDetails" not in item, item.get("label"))
                edit = item.get("textEdit") or {}
                checks.check(f"{name}: completion InsertReplaceEdit only with insertReplaceSupport",
                             insert_replace or "insert" not in edit, item.get("label"))
                documentation = item.get("documentation")
                if isinstance(documentation, dict):
                    checks.check(f"{name}: completion documentation in a format the client declared",
                                 documentation.get("kind") in documentation_formats, item.get("label"))
        elif method == "textDocument/codeLens" and isinstance(result, list):
            for lens in result:
                command = lens.get("command")
                checks.check(f"{name}: code lenses carry a real command or none",
                             command is None or bool(command.get("command")), json.dumps(lens)[:160])
        elif method == "textDocument/documentLink" and isinstance(result, list):
            for link in result:
                checks.check(f"{name}: document link tooltips only with tooltipSupport",
                             tooltip or "tooltip" not in link, link.get("target"))
        elif method == "textDocument/definition" and isinstance(result, list):
            for target in result:
                checks.check(f"{name}: LocationLink only with linkSupport",
                             link_support or "targetUri" not in target, json.dumps(target)[:120])
        elif method == "textDocument/foldingRange" and isinstance(result, list):
            for fold in result:
                checks.check(f"{name}: folding collapsedText only when the client supports it",
                             collapsed or "collapsedText" not in fold, json.dumps(fold)[:120])
                if fold_kinds is not None and "kind" in fold:
                    checks.check(f"{name}: folding range kinds from the client's valueSet",
                                 fold["kind"] in fold_kinds, fold["kind"])
        elif method == "textDocument/diagnostic" and isinstance(result, dict):
            diagnostics_ok(result.get("items") or [], method)


def make_workspace(base):
    root = Path(base) / "repo"
    (root / ".git").mkdir(parents=True)
    (root / ".agent" / "plans").mkdir(parents=True)
    (root / "src").mkdir()
    (root / "src" / "lib.rs").write_text("pub fn cache() {}\n")
    (root / ".agent" / "plans" / "cache.md").write_text(PLAN)
    (root / ".agent" / "plans" / "parser.md").write_text(
        "# Ship the parser\n\nThis ExecPlan is a living document.\n\n## Progress\n\n- [ ] Parse headers.\n")
    return root


def main():
    binary = os.path.abspath(sys.argv[1])
    checks = Checks()
    # The rich client's own capabilities are spelled as the specification says.
    declared = CONVERTER.structure(RICH, lsp.ClientCapabilities)
    found = first_difference(RICH, json.loads(json.dumps(CONVERTER.unstructure(declared))))
    checks.check("the rich client's capabilities fit the specification", found is None, str(found))
    with tempfile.TemporaryDirectory(prefix="lsp-conformance-") as base:
        root = make_workspace(base)
        uri = (root / ".agent" / "plans" / "cache.md").as_uri()
        for name, caps in (("rich client", RICH), ("no-capabilities client", {})):
            session = Session(binary, str(root), name, caps)
            try:
                init = drive(session, checks, uri)
            except Exception as e:
                checks.fail(f"{name}: the session runs to its end", repr(e))
                session.proc.kill()
                init = {}
            for message, method in session.sent_by_server:
                structure(checks, name, message, method)
            semantic_checks(checks, name, caps, init, session.sent_by_server)
            print(f"{name}: {len(session.sent_by_server)} messages from the server structured")

    unexpected, known, fixed = [], [], []
    for check, failures in sorted(checks.results.items()):
        if failures and check in KNOWN_FAILURES:
            known.append((check, failures))
        elif failures:
            unexpected.append((check, failures))
        elif check in KNOWN_FAILURES:
            fixed.append(check)
        else:
            print(f"pass  {check}")
    for check, failures in known:
        print(f"KNOWN FAILURE  {check} ({KNOWN_FAILURES[check]}): {failures[0]}")
    for check in fixed:
        print(f"FIXED  {check}: passes now; remove it from KNOWN_FAILURES in {__file__}")
    for check, failures in unexpected:
        print(f"FAIL  {check}: {len(failures)} message(s); first: {failures[0]}")
    total = len(checks.results)
    print(f"{total - len(unexpected) - len(known)} of {total} checks passed, "
          f"{len(known)} known failures, {len(unexpected)} failures")
    return 1 if unexpected else 0


if __name__ == "__main__":
    sys.exit(main())
