//! Reading and navigating plans through the protocol, on a small
//! repository: outline, folding, hover, code lens, links, the workspace
//! index, the team's PLANS.md skeleton, EP503 and EP601.

mod support;

use std::path::{Path, PathBuf};

use serde_json::{Value, json};
use support::{Client, codes, file_uri};

/// The team's PLANS.md: the canonical skeleton without Idempotence and
/// Recovery, with a Risks section.
const PLANS_MD: &str = "# Plans\n\n## Skeleton of a Good ExecPlan\n\n    # <Title>\n\n    ## Purpose / Big Picture\n    ## Progress\n    ## Surprises & Discoveries\n    ## Decision Log\n    ## Outcomes & Retrospective\n    ## Context and Orientation\n    ## Plan of Work\n    ## Concrete Steps\n    ## Validation and Acceptance\n    ## Risks\n    ## Artifacts and Notes\n    ## Interfaces and Dependencies\n";

/// The open plan. Lines (0-based): 4 `## Progress`, 6 stamped item,
/// 11 the `src/lib.rs` paragraph, 17 `## Milestone 1: Cache`.
const OPEN_PLAN: &str = "# Add a cache

This ExecPlan is a living document and follows `.agent/PLANS.md`.

## Progress

- [x] (2026-11-20 09:30Z) Milestone 1: wrote the cache.
- [ ] Milestone 2: measure it.

## Purpose / Big Picture

The cache sits in `src/lib.rs` and is tested in `src/cache_test.rs`; see [the library](../../src/lib.rs) and [a secret](../../../secret.txt).

## Surprises & Discoveries

None yet.

## Milestone 1: Cache

Build it.

## Decision Log

- Decision: Use an LRU.
  Rationale: Bounded memory.
  Date/Author: 2026-11-20 / Ada

## Outcomes & Retrospective

None yet.
";

/// A plan nobody opens; it lacks its Decision Log (EP101).
const CLOSED_PLAN: &str = "# Ship the parser\n\nThis ExecPlan is a living document and follows `.agent/PLANS.md`.\n\n## Progress\n\n- [ ] Parse headers.\n\n## Surprises & Discoveries\n\nNone yet.\n\n## Outcomes & Retrospective\n\nNone yet.\n";

struct Repo {
    dir: PathBuf,
}

impl Repo {
    fn new(name: &str) -> Repo {
        let base = std::env::temp_dir().join(format!("execplan-nav-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&base);
        let dir = base.join("repo");
        for folder in [".git", ".agent/plans", "src"] {
            std::fs::create_dir_all(dir.join(folder)).unwrap();
        }
        std::fs::write(base.join("secret.txt"), "not yours\n").unwrap();
        std::fs::write(dir.join(".agent/PLANS.md"), PLANS_MD).unwrap();
        std::fs::write(
            dir.join("src/lib.rs"),
            "//! The cache.\npub struct Cache;\n",
        )
        .unwrap();
        std::fs::write(dir.join(".agent/plans/cache.md"), OPEN_PLAN).unwrap();
        std::fs::write(dir.join(".agent/plans/parser.md"), CLOSED_PLAN).unwrap();
        std::fs::write(
            dir.join("AGENTS.md"),
            "# Agents\n\nPlan with `.agent/PLANS.md`; the old `docs/PLANS.md` is gone.\n",
        )
        .unwrap();
        Repo {
            dir: dir.canonicalize().unwrap(),
        }
    }

    fn uri(&self, rel: &str) -> String {
        file_uri(&self.dir.join(rel))
    }
}

impl Drop for Repo {
    fn drop(&mut self) {
        if let Some(base) = self.dir.parent() {
            let _ = std::fs::remove_dir_all(base);
        }
    }
}

fn at(uri: &str, line: u64, character: u64) -> Value {
    json!({ "textDocument": { "uri": uri }, "position": { "line": line, "character": character } })
}

fn doc(uri: &str) -> Value {
    json!({ "textDocument": { "uri": uri } })
}

async fn open_plan(repo: &Repo, capabilities: Value, options: Option<Value>) -> (Client, String) {
    let (mut client, _) = Client::start_in(capabilities, options, &repo.dir).await;
    let uri = repo.uri(".agent/plans/cache.md");
    client.open(&uri, 1, OPEN_PLAN).await;
    (client, uri)
}

/// A client that pushes diagnostics and shows nested symbols and Markdown.
fn push() -> Value {
    json!({
        "general": { "positionEncodings": ["utf-16"] },
        "textDocument": {
            "documentSymbol": { "hierarchicalDocumentSymbolSupport": true },
            "hover": { "contentFormat": ["markdown", "plaintext"] }
        }
    })
}

#[tokio::test]
async fn the_outline_shows_sections_milestones_and_decisions() {
    let repo = Repo::new("outline");
    let (mut client, uri) = open_plan(&repo, push(), None).await;
    let symbols = client
        .request("textDocument/documentSymbol", doc(&uri))
        .await;
    let title = &symbols[0];
    assert_eq!(title["name"], "Add a cache");
    let children = title["children"].as_array().unwrap();
    let names: Vec<&str> = children
        .iter()
        .map(|c| c["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        [
            "Progress",
            "Purpose / Big Picture",
            "Surprises & Discoveries",
            "Milestone 1: Cache",
            "Decision Log",
            "Outcomes & Retrospective"
        ]
    );
    assert_eq!(children[0]["detail"], "1/2 done");
    assert_eq!(children[3]["kind"], 24, "a milestone is an event");
    assert_eq!(children[4]["children"][0]["name"], "Use an LRU.");
    client.shutdown().await;
}

#[tokio::test]
async fn folding_hover_and_code_lens_answer() {
    let repo = Repo::new("hover");
    let (mut client, uri) = open_plan(&repo, push(), None).await;

    let folds = client.request("textDocument/foldingRange", doc(&uri)).await;
    let starts: Vec<u64> = folds
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["startLine"].as_u64().unwrap())
        .collect();
    assert!(starts.contains(&4) && starts.contains(&17), "{folds}");

    let hover = client.request("textDocument/hover", at(&uri, 4, 4)).await;
    let text = hover["contents"]["value"].as_str().unwrap();
    assert!(text.starts_with("**Progress**: Every step"), "{text}");

    let hover = client.request("textDocument/hover", at(&uri, 6, 10)).await;
    let text = hover["contents"]["value"].as_str().unwrap();
    assert!(
        text.starts_with("Friday 20 November 2026, 09:30 UTC: "),
        "{text}"
    );

    let hover = client.request("textDocument/hover", at(&uri, 11, 22)).await;
    let text = hover["contents"]["value"].as_str().unwrap();
    assert!(
        text.contains("`src/lib.rs` exists") && text.contains("//! The cache."),
        "{text}"
    );

    let lenses = client.request("textDocument/codeLens", doc(&uri)).await;
    let titles: Vec<(u64, &str)> = lenses
        .as_array()
        .unwrap()
        .iter()
        .map(|l| {
            (
                l["range"]["start"]["line"].as_u64().unwrap(),
                l["command"]["title"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(titles[0].0, 4);
    assert!(
        titles[0].1.starts_with("1/2 done · last update "),
        "{titles:?}"
    );
    assert_eq!(titles[1], (17, "Progress: done"));
    client.shutdown().await;
}

#[tokio::test]
async fn paths_that_exist_resolve_and_others_are_flagged() {
    let repo = Repo::new("links");
    let (mut client, uri) = open_plan(&repo, push(), None).await;
    let lib = repo.uri("src/lib.rs");
    let plans_md = repo.uri(".agent/PLANS.md");

    let links = client.request("textDocument/documentLink", doc(&uri)).await;
    let targets: Vec<&str> = links
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["target"].as_str().unwrap())
        .collect();
    // The backticked paths and the Markdown link; not the missing file, not
    // the file outside the workspace.
    assert_eq!(
        targets,
        [plans_md.as_str(), lib.as_str(), lib.as_str()],
        "{links}"
    );

    let found = client
        .request("textDocument/definition", at(&uri, 11, 22))
        .await;
    assert_eq!(found["uri"], lib);
    let nothing = client
        .request("textDocument/definition", at(&uri, 11, 55))
        .await;
    assert!(nothing.is_null(), "{nothing}");

    let diagnostics = client.diagnostics(&uri, 1).await;
    let found = codes(&diagnostics);
    assert!(found.contains(&("EP503".to_string(), 11, 48)), "{found:?}");
    client.shutdown().await;
}

#[tokio::test]
async fn the_team_skeleton_in_plans_md_decides_what_is_missing() {
    let repo = Repo::new("skeleton");
    let (mut client, uri) = open_plan(&repo, push(), None).await;
    let diagnostics = client.diagnostics(&uri, 1).await;
    let missing: Vec<&str> = diagnostics
        .iter()
        .filter(|d| d["code"] == "EP102")
        .map(|d| d["message"].as_str().unwrap())
        .collect();
    assert!(
        missing.iter().any(|m| m.contains("`## Risks`")),
        "{missing:?}"
    );
    assert!(
        !missing.iter().any(|m| m.contains("Idempotence")),
        "{missing:?}"
    );

    // Completion after `## ` offers Risks too.
    let end = OPEN_PLAN.lines().count() as u64;
    client
        .change(&uri, 2, json!([{ "range": { "start": { "line": end, "character": 0 }, "end": { "line": end, "character": 0 } }, "text": "\n## " }]))
        .await;
    let items = client
        .request("textDocument/completion", at(&uri, end + 1, 3))
        .await;
    let labels: Vec<&str> = items
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["label"].as_str().unwrap())
        .collect();
    assert!(labels.contains(&"## Risks"), "{labels:?}");
    assert!(
        !labels.contains(&"## Idempotence and Recovery"),
        "{labels:?}"
    );
    client.shutdown().await;
}

async fn wait_for_index(client: &mut Client, repo: &Repo) {
    // The index is built in the background; ask until it knows the closed plan.
    for _ in 0..100 {
        let found = client
            .request("workspace/symbol", json!({ "query": "Ship the parser" }))
            .await;
        if found.as_array().is_some_and(|a| !a.is_empty()) {
            assert_eq!(
                found[0]["location"]["uri"],
                repo.uri(".agent/plans/parser.md")
            );
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("the workspace index never found the closed plan");
}

#[tokio::test]
async fn plans_that_are_not_open_are_found_and_checked() {
    let repo = Repo::new("index");
    // A push client that opted in gets the closed plan's diagnostics.
    let (mut client, _) = open_plan(
        &repo,
        push(),
        Some(json!({ "workspace_diagnostics": true })),
    )
    .await;
    wait_for_index(&mut client, &repo).await;
    let closed = repo.uri(".agent/plans/parser.md");
    let published = client.any_publish(&closed).await;
    let found = codes(published["diagnostics"].as_array().unwrap());
    assert!(
        found.iter().any(|(code, _, _)| code == "EP101"),
        "{found:?}"
    );
    // Decision Log entries of every plan are workspace symbols.
    let symbols = client
        .request("workspace/symbol", json!({ "query": "lru" }))
        .await;
    assert_eq!(symbols[0]["name"], "Use an LRU.");
    assert_eq!(symbols[0]["containerName"], "Decision Log");
    client.shutdown().await;

    // A pull client asks for workspace diagnostics.
    let pull = json!({ "general": { "positionEncodings": ["utf-16"] }, "textDocument": { "diagnostic": {} } });
    let (mut client, answer) = Client::start_in(pull, None, &repo.dir).await;
    assert_eq!(
        answer["capabilities"]["diagnosticProvider"]["workspaceDiagnostics"],
        true
    );
    wait_for_index(&mut client, &repo).await;
    let report = client
        .request("workspace/diagnostic", json!({ "previousResultIds": [] }))
        .await;
    let items = report["items"].as_array().unwrap();
    let parser = items
        .iter()
        .find(|i| i["uri"] == closed)
        .expect("the closed plan is reported");
    assert!(
        codes(parser["items"].as_array().unwrap())
            .iter()
            .any(|(c, _, _)| c == "EP101")
    );
    assert!(
        items
            .iter()
            .all(|i| !i["uri"].as_str().unwrap().ends_with("PLANS.md"))
    );
    client.shutdown().await;
}

#[tokio::test]
async fn agents_md_naming_a_missing_plans_md_is_flagged() {
    let repo = Repo::new("agents");
    let (mut client, _) = Client::start_in(push(), None, &repo.dir).await;
    let uri = repo.uri("AGENTS.md");
    let text = std::fs::read_to_string(Path::new(&repo.dir).join("AGENTS.md")).unwrap();
    client.open(&uri, 1, &text).await;
    let found = codes(&client.diagnostics(&uri, 1).await);
    assert_eq!(found, [("EP601".to_string(), 2, 38)]);
    client.shutdown().await;
}

#[tokio::test]
async fn indexing_reports_progress_where_the_client_shows_it() {
    let repo = Repo::new("progress");
    let capabilities = json!({ "general": { "positionEncodings": ["utf-16"] }, "window": { "workDoneProgress": true } });
    let (mut client, _) = Client::start_in(capabilities, None, &repo.dir).await;
    wait_for_index(&mut client, &repo).await;
    // The client answered window/workDoneProgress/create; then begin … end.
    let mut kinds = Vec::new();
    for _ in 0..200 {
        kinds = client
            .notifications
            .iter()
            .filter(|n| n["method"] == "$/progress" && n["params"]["token"] == "execplan-ls/index")
            .map(|n| {
                n["params"]["value"]["kind"]
                    .as_str()
                    .unwrap_or("")
                    .to_string()
            })
            .collect();
        if kinds.last().is_some_and(|k| k == "end") {
            break;
        }
        client
            .request("workspace/symbol", json!({ "query": "" }))
            .await;
    }
    assert_eq!(
        kinds.first().map(String::as_str),
        Some("begin"),
        "{kinds:?}"
    );
    assert_eq!(kinds.last().map(String::as_str), Some("end"), "{kinds:?}");
    let end = client
        .notifications
        .iter()
        .rfind(|n| n["method"] == "$/progress" && n["params"]["value"]["kind"] == "end")
        .unwrap();
    assert_eq!(end["params"]["value"]["message"], "2 plans found");
    client.shutdown().await;
}
