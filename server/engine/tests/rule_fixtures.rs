//! One fixture per rule, in the style of rust-analyzer's `check_diagnostics`
//! and `check_fix`: `tests/rules/EPxxx.md` holds small plans (cases) with
//! every finding the checker reports written under the line it starts on,
//! and `tests/rules/EPxxx.fixed.md` the same cases after the fixes of that
//! rule's findings, with the findings left after them. The format is
//! described in `rule_fixtures/format.rs`; each case is checked as
//! `execplan-ls check` checks a file (`rule_fixtures/run.rs`).
//!
//! A fixture is its own expectation: the test writes each case back with
//! the findings it got and compares that with the file. On a difference it
//! prints the fixture as it would be; after a deliberate change to a rule,
//!
//!     UPDATE_EXPECT=1 cargo test -p execplan-engine --test rule_fixtures
//!
//! rewrites the fixtures (and `git diff server/engine/tests/rules/` shows
//! what changed). `cargo test -p execplan-engine --test rule_fixtures EP203`
//! runs one rule's fixture.

#[path = "rule_fixtures/format.rs"]
mod format;
#[path = "rule_fixtures/run.rs"]
mod run;

use std::path::{Path, PathBuf};

use execplan_engine::analysis::Code;

fn fixtures_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/rules")
}

fn updating() -> bool {
    std::env::var_os("UPDATE_EXPECT").is_some_and(|v| v != "0" && !v.is_empty())
}

/// Compares `path` with `actual` (`None`: the file must not exist), or
/// writes it when updating.
fn expect(path: &Path, actual: Option<&str>) -> Result<(), String> {
    let current = std::fs::read_to_string(path).ok();
    if current.as_deref() == actual {
        return Ok(());
    }
    if updating() {
        match actual {
            Some(text) => std::fs::write(path, text).unwrap(),
            None => std::fs::remove_file(path).unwrap(),
        }
        return Ok(());
    }
    let name = path.file_name().unwrap().to_string_lossy();
    let rebless = "UPDATE_EXPECT=1 cargo test -p execplan-engine --test rule_fixtures";
    Err(match (current, actual) {
        (Some(_), None) => {
            format!("{name} should not exist (no case has a fix); `{rebless}` removes it")
        }
        (None, Some(text)) => {
            format!("{name} is missing; it would be:\n\n{text}\n`{rebless}` writes it")
        }
        (Some(current), Some(text)) => {
            let diff = similar::TextDiff::from_lines(current.as_str(), text)
                .unified_diff()
                .context_radius(2)
                .header(
                    &format!("{name} (as written)"),
                    &format!("{name} (as checked)"),
                )
                .to_string();
            format!(
                "{name} differs from what the checker reports:\n\n{diff}\nThe fixture as it would be:\n\n{text}\nIf the change is intended: `{rebless}`"
            )
        }
        (None, None) => unreachable!(),
    })
}

/// Checks `EPxxx.md` and `EPxxx.fixed.md` for `code`.
fn check_fixture(code: Code) {
    let path = fixtures_dir().join(format!("{code}.md"));
    let fixture = std::fs::read_to_string(&path).unwrap_or_else(|_| {
        panic!(
            "no fixture for {code}: write {} (see docs/architecture.md, \"Adding a rule\")",
            path.display()
        )
    });
    let cases = format::parse(&fixture).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut written = Vec::new();
    let mut fixed_written = Vec::new();
    let mut fires = false;
    for case in &cases {
        let found = run::check(case, &case.text);
        if let Some(found) = &found {
            fires |= found.iter().any(|d| d.code == code);
            if let Some(fixed) = run::fixed(&case.text, found, code) {
                let after = run::check(case, &fixed);
                fixed_written.push(format::render(&case.header, &fixed, after.as_deref()));
            }
        }
        written.push(format::render(&case.header, &case.text, found.as_deref()));
    }
    let fixed_path = fixtures_dir().join(format!("{code}.fixed.md"));
    let fixed_text = (!fixed_written.is_empty()).then(|| fixed_written.join("\n"));
    let errors: Vec<String> = [
        expect(&path, Some(&written.join("\n"))),
        expect(&fixed_path, fixed_text.as_deref()),
    ]
    .into_iter()
    .filter_map(Result::err)
    .collect();
    assert!(errors.is_empty(), "{}", errors.join("\n\n"));
    assert!(
        fires,
        "{}: no case gets {code}; a fixture shows where its rule fires",
        path.display()
    );
    assert!(
        cases.len() > 1 || written.iter().any(|c| c.lines().count() > 1),
        "{}: a fixture has cases where the rule stays quiet too",
        path.display()
    );
}

macro_rules! fixtures {
    ($($code:ident),* $(,)?) => {
        /// The codes with a fixture test below.
        const TESTED: &[Code] = &[$(Code::$code),*];

        $(
            #[test]
            #[allow(non_snake_case)]
            fn $code() {
                check_fixture(Code::$code);
            }
        )*
    };
}

fixtures!(
    EP001, EP101, EP102, EP103, EP104, EP105, EP106, EP107, EP108, EP109, EP110, EP201, EP202,
    EP203, EP204, EP205, EP206, EP207, EP208, EP209, EP210, EP301, EP302, EP303, EP401, EP402,
    EP403, EP404, EP405, EP501, EP502, EP503, EP504, EP601, EP701,
);

/// Every rule has its fixture, and every fixture its rule: a code added to
/// `Code::ALL` fails here until `tests/rules/` has its file and the list
/// above has its name.
#[test]
fn every_code_has_a_fixture() {
    let missing_tests: Vec<&Code> = Code::ALL.iter().filter(|c| !TESTED.contains(c)).collect();
    assert!(
        missing_tests.is_empty(),
        "add {missing_tests:?} to `fixtures!` in {}",
        file!()
    );
    let missing_files: Vec<String> = Code::ALL
        .iter()
        .map(|c| format!("{c}.md"))
        .filter(|name| !fixtures_dir().join(name).is_file())
        .collect();
    assert!(
        missing_files.is_empty(),
        "no fixture in {}: {missing_files:?}",
        fixtures_dir().display()
    );
    for entry in std::fs::read_dir(fixtures_dir()).unwrap() {
        let name = entry.unwrap().file_name().to_string_lossy().into_owned();
        let stem = name
            .strip_suffix(".fixed.md")
            .or_else(|| name.strip_suffix(".md"))
            .unwrap_or(&name);
        assert!(
            Code::parse(stem).is_some_and(|c| c.as_str() == stem),
            "{name} in {} is not named after a rule code",
            fixtures_dir().display()
        );
    }
}

/// The harness itself: annotations are stripped, a case is written back
/// as it was read, and an empty range and a range over two lines are
/// written as the format says.
#[test]
fn annotations_round_trip() {
    use execplan_engine::analysis::{Diagnostic, Fix, Severity};
    let fixture = "<!-- case: two findings\npath: docs/x.md\n-->\n# T\n<!-- ^ 1-3 EP106 warning: old -->\n\nSetext\n------\n\n";
    let cases = format::parse(fixture).unwrap();
    assert_eq!(cases.len(), 1);
    let case = &cases[0];
    assert_eq!(case.title, "two findings");
    assert_eq!(case.setup.path, "docs/x.md");
    assert_eq!(case.text, "# T\n\nSetext\n------\n");
    let found = [
        Diagnostic {
            code: Code::EP404,
            severity: Severity::Info,
            span: 5..18,
            message: "Underlined".into(),
            fix: Some(Fix::safe("Make it ATX", vec![])),
        },
        Diagnostic {
            code: Code::EP403,
            severity: Severity::Warning,
            span: 3..3,
            message: "Blank line".into(),
            fix: None,
        },
    ];
    let written = format::render(&case.header, &case.text, Some(&found));
    assert_eq!(
        written,
        "<!-- case: two findings\npath: docs/x.md\n-->\n# T\n<!-- ^ 4 EP403 warning: Blank line -->\n\nSetext\n<!-- ^ 1-+1:6 EP404 info: Underlined -->\n<!--   fix (safe): Make it ATX -->\n------\n"
    );
    let again = format::parse(&written).unwrap();
    assert_eq!(again[0].text, case.text);
    assert_eq!(
        format::render(&case.header, &case.text, None),
        "<!-- case: two findings\npath: docs/x.md\n-->\n<!-- (not a plan) -->\n# T\n\nSetext\n------\n"
    );
}
