"""End-to-end MCP session against the execplan-ls binary, through the
official Python SDK's stdio client: what an agent does with its plan.

Usage: python session.py PATH_TO_EXECPLAN_LS
"""

import asyncio
import datetime
import os
import pathlib
import shutil
import sys
import tempfile

from mcp import ClientSession, StdioServerParameters
from mcp.client.stdio import stdio_client

HERE = pathlib.Path(__file__).parent
CHECKS = 0


def check(condition, message):
    global CHECKS
    CHECKS += 1
    if not condition:
        raise AssertionError(message)


def utc_minute():
    return datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M")


def text_of(result):
    return "".join(c.text for c in result.content if getattr(c, "type", "") == "text")


async def call_ok(session, name, args):
    result = await session.call_tool(name, args)
    check(not result.is_error, f"{name} failed: {text_of(result)}")
    check(isinstance(result.structured_content, dict), f"{name}: no structured content")
    check(text_of(result).strip() != "", f"{name}: no text content")
    return result.structured_content


async def call_err(session, name, args, needle):
    result = await session.call_tool(name, args)
    check(result.is_error, f"{name} {args} should be a tool error: {text_of(result)}")
    check(needle in text_of(result), f"{name}: expected `{needle}` in `{text_of(result)}`")
    # The server is still up.
    tools = await session.list_tools()
    check(len(tools.tools) >= 10, "server stopped answering after an error")


async def session_run(binary, workspace):
    plans = workspace / "docs" / "plans"
    table = plans / "table-log.md"
    bullets = plans / "bullet-log.md"
    params = StdioServerParameters(command=binary, args=["mcp"], cwd=str(workspace))
    async with stdio_client(params) as (read, write):
        async with ClientSession(read, write) as session:
            await session.initialize()

            # Tools, their schemas and annotations.
            listed = {t.name: t for t in (await session.list_tools()).tools}
            expected = {"check_plan", "plan_status", "mark_done", "log_decision", "log_surprise",
                        "record_outcome", "fix_plan", "new_plan", "list_plans", "explain_rule"}
            check(expected <= set(listed), f"tools: {sorted(listed)}")
            for name in ("check_plan", "plan_status", "list_plans", "explain_rule"):
                check(listed[name].annotations.read_only_hint is True, f"{name} readOnlyHint")
            for name in ("log_decision", "log_surprise", "record_outcome", "mark_done"):
                a = listed[name].annotations
                check(a.read_only_hint is False and a.destructive_hint is False, f"{name} hints: {a}")
            check(listed["mark_done"].annotations.idempotent_hint is True, "mark_done idempotentHint")
            schema = listed["mark_done"].input_schema
            check(schema.get("type") == "object" and "path" in schema.get("required", []), f"schema: {schema}")
            check(schema["properties"]["dry_run"]["type"] == "boolean", f"schema: {schema}")

            # Check a real-shaped plan.
            first = await call_ok(session, "check_plan", {"path": "docs/plans/table-log.md"})
            check(first["is_plan"] is True, "table-log.md is a plan")
            before_findings = {(f["code"], f["message"]) for f in first["findings"]}
            original = table.read_text()

            # A plan with a finding, to see its shape.
            broken = original.replace("- [ ] Wire", "- [x] Wire")
            found = await call_ok(session, "check_plan", {"path": "docs/plans/table-log.md", "text": broken})
            ep203 = [f for f in found["findings"] if f["code"] == "EP203"]
            check(len(ep203) == 1, f"EP203 for the unstamped item: {found}")
            f = ep203[0]
            check(f["severity"] == "warning" and f["range"]["start"]["line"] == 14 and f["fixable"] is True,
                  f"finding shape: {f}")
            check("source" not in f, "no source text unless asked")
            only_new = await call_ok(session, "check_plan", {"path": "docs/plans/table-log.md", "text": broken,
                                                             "previous_text": original})
            check([x["code"] for x in only_new["findings"]] == ["EP203"], f"introduced only: {only_new}")

            # Status.
            status = await call_ok(session, "plan_status", {"path": "docs/plans/table-log.md"})
            check((status["done"], status["total"]) == (2, 4), f"status: {status}")
            check(status["next"][0] == {"step": "Write the cache module with its tests.", "status": "pending",
                                        "line": 13}, f"next: {status['next']}")
            check(status["plan"][0]["status"] == "completed", f"plan: {status['plan']}")
            check(status["last_update"] == "(2026-11-20 11:40Z)", f"last update: {status}")

            # Mark an item done; the dry run writes nothing.
            dry = await call_ok(session, "mark_done", {"path": "docs/plans/table-log.md",
                                                       "item": "Write the cache module", "dry_run": True})
            check(table.read_text() == original, "a dry run wrote the file")
            check("+- [x] (" in dry["diff"] and "-- [ ] Write the cache module" in dry["diff"], dry["diff"])
            minute_before = utc_minute()
            done = await call_ok(session, "mark_done", {"path": "docs/plans/table-log.md",
                                                        "item": "Write the cache module",
                                                        "note": "12 tests pass"})
            minute_after = utc_minute()
            check(done["stamp"] in (f"({minute_before}Z)", f"({minute_after}Z)"), f"stamp {done['stamp']}")
            after_mark = table.read_text()
            line = f"- [x] {done['stamp']} Write the cache module with its tests. 12 tests pass"
            check(line in after_mark.splitlines(), f"marked line missing:\n{after_mark}")
            check(done["introduced"] == [], f"mark_done introduced findings: {done['introduced']}")
            changed = [l for l in after_mark.splitlines() if l not in original.splitlines()]
            check(changed == [line], f"only the item's line changes: {changed}")

            # Marking it again is refused and changes nothing.
            await call_err(session, "mark_done", {"path": "docs/plans/table-log.md",
                                                   "item": "Write the cache module with its tests."},
                           "already done")
            # A stale expectation is refused.
            await call_err(session, "mark_done", {"path": "docs/plans/table-log.md", "line": 14,
                                                   "expected_text": "Wire the cache into the builder."},
                           "the plan changed")
            check(table.read_text() == after_mark, "a refused edit wrote the file")

            # Decisions, in a table-shaped and a bullet-shaped log.
            dec = await call_ok(session, "log_decision", {
                "path": "docs/plans/table-log.md", "decision": "Store entries as JSON files",
                "rationale": "They are easy to inspect | and diff", "author": "Codex"})
            check(dec["style"] == "table" and dec["introduced"] == [], f"table decision: {dec}")
            table_text = table.read_text()
            row = [l for l in table_text.splitlines() if "Store entries as JSON files" in l]
            check(len(row) == 1 and row[0].startswith(f"| {utc_minute()[:10]}") and "\\|" in row[0],
                  f"table row: {row}")
            check(all(l in table_text.splitlines() for l in after_mark.splitlines()),
                  "an existing line changed in the table-shaped log")

            bullets_before = bullets.read_text()
            dec = await call_ok(session, "log_decision", {
                "path": "docs/plans/bullet-log.md", "decision": "Store entries as JSON files.",
                "rationale": "They are easy to inspect.", "author": "Codex"})
            check(dec["style"] == "bullets" and dec["introduced"] == [], f"bullet decision: {dec}")
            bullet_text = bullets.read_text()
            check("- Decision: Store entries as JSON files.\n  Rationale: They are easy to inspect.\n"
                  "  Date/Author: " in bullet_text, bullet_text)
            check(all(l in bullet_text.splitlines() for l in bullets_before.splitlines()),
                  "an existing line changed in the bullet-shaped log")

            sur = await call_ok(session, "log_surprise", {"path": "docs/plans/bullet-log.md",
                                                          "observation": "Hashing is slower than parsing.",
                                                          "evidence": "hash 0.4 s against parse 0.3 s."})
            check(sur["introduced"] == [], f"surprise: {sur}")
            out = await call_ok(session, "record_outcome", {"path": "docs/plans/bullet-log.md",
                                                            "outcome": "The cache module is written and tested."})
            check(out["introduced"] == [] and "-None yet." in out["diff"], f"outcome: {out}")

            # A following check shows the edits in place and no new findings.
            for path, before in (("docs/plans/table-log.md", before_findings),
                                 ("docs/plans/bullet-log.md", None)):
                again = await call_ok(session, "check_plan", {"path": path})
                now_findings = {(f["code"], f["message"]) for f in again["findings"]}
                if before is not None:
                    check(now_findings <= before, f"{path}: new findings {now_findings - before}")
                check(not any(f["severity"] in ("error", "warning") for f in again["findings"]),
                      f"{path}: {again['findings']}")
            introduced = await call_ok(session, "check_plan", {"path": "docs/plans/table-log.md",
                                                               "previous_text": original})
            check(introduced["findings"] == [], f"edits introduced: {introduced}")

            # Wrong arguments, unknown tools, missing and outside files: tool errors.
            await call_err(session, "mark_done", {"path": "docs/plans/table-log.md", "line": "fourteen"},
                           "invalid arguments for `mark_done`")
            await call_err(session, "log_decision", {"path": "docs/plans/table-log.md", "decision": "X"},
                           "missing field `rationale`")
            await call_err(session, "check_plan", {"path": "docs/plans/table-log.md", "colour": "red"},
                           "unknown field `colour`")
            await call_err(session, "no_such_tool", {}, "unknown tool `no_such_tool`")
            await call_err(session, "check_plan", {"path": "docs/plans/missing.md"}, "no such file")
            await call_err(session, "check_plan", {"path": "../outside.md"}, "outside the workspace roots")
            await call_err(session, "log_surprise", {"path": "../outside.md", "observation": "x",
                                                     "evidence": "y"}, "outside the workspace roots")
            await call_err(session, "explain_rule", {"code": "EP999"}, "unknown rule code")

            # The rest of the tools.
            listed_plans = await call_ok(session, "list_plans", {})
            check({p["path"] for p in listed_plans["plans"]} >= {"docs/plans/table-log.md",
                                                                 "docs/plans/bullet-log.md"}, listed_plans)
            rule = await call_ok(session, "explain_rule", {"code": "ep203"})
            check(rule["code"] == "EP203" and rule["fixable"] is True, rule)
            created = await call_ok(session, "new_plan", {"title": "Speed up the exporter",
                                                          "folder": "docs/plans"})
            check(created["path"] == "docs/plans/speed-up-the-exporter.md"
                  and (workspace / created["path"]).is_file(), created)
            await call_err(session, "new_plan", {"title": "Speed up the exporter", "folder": "docs/plans"},
                           "already exists")
            fixable = plans / "fixable.md"
            fixable.write_text(original.replace("## Progress\n\n", "## progress\n\n"))
            fixed = await call_ok(session, "fix_plan", {"path": "docs/plans/fixable.md", "dry_run": True})
            check(fixed["changed"] and "+## Progress" in fixed["diff"] and "## progress" in fixable.read_text(), fixed)
            fixed = await call_ok(session, "fix_plan", {"path": "docs/plans/fixable.md"})
            check(fixed["applied"] and fixable.read_text() == original, "fix_plan wrote the fix")


def main():
    binary = os.path.abspath(sys.argv[1])
    workspace = pathlib.Path(tempfile.mkdtemp(prefix="execplan-mcp-"))
    try:
        (workspace / ".git").mkdir()
        (workspace / "docs" / "plans").mkdir(parents=True)
        for name in ("table-log.md", "bullet-log.md"):
            shutil.copy(HERE / "fixtures" / name, workspace / "docs" / "plans" / name)
        asyncio.run(session_run(binary, workspace))
    finally:
        shutil.rmtree(workspace, ignore_errors=True)
    print(f"mcp session: {CHECKS} passed, 0 failed")


if __name__ == "__main__":
    main()
