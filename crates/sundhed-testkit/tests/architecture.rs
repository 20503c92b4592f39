//! `docs/architecture.md` kept true: the crates depend one way only, no code of a lower crate
//! names a higher one, and no crate has an import circle among its modules.

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

use sundhed_testkit::source::{rust_files, sundhed_dependencies};

use crate::modules::{find_cycle, module_graph, show};

fn crates_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// Each library crate and the sundhed crates it may depend on (docs/architecture.md).
const LAYERS: [(&str, &[&str]); 4] = [
    ("sundhed-identity", &[]),
    ("sundhed-signing", &["sundhed-identity"]),
    ("sundhed-authorisation", &["sundhed-identity"]),
    (
        "sundhed-workflow",
        &[
            "sundhed-identity",
            "sundhed-signing",
            "sundhed-authorisation",
        ],
    ),
];

#[test]
fn crates_depend_one_way_only() {
    for (name, allowed) in LAYERS {
        let manifest = crates_dir().join(name).join("Cargo.toml");
        let deps = sundhed_dependencies(&manifest).unwrap();
        let allowed: BTreeSet<String> = allowed.iter().map(|s| (*s).to_owned()).collect();
        let extra: Vec<&String> = deps.difference(&allowed).collect();
        assert!(extra.is_empty(), "{name} depends on {extra:?}");
    }
}

#[test]
fn no_code_of_a_lower_crate_names_a_higher_one() {
    let all: Vec<&str> = LAYERS.iter().map(|(n, _)| *n).collect();
    for (name, allowed) in LAYERS {
        let forbidden: Vec<String> = all
            .iter()
            .filter(|other| **other != name && !allowed.contains(other))
            .map(|other| format!("{}::", other.replace('-', "_")))
            .collect();
        for file in rust_files(&crates_dir().join(name).join("src")).unwrap() {
            let text = fs::read_to_string(&file).unwrap();
            for (n, line) in text.lines().enumerate() {
                if line.trim_start().starts_with("//") {
                    continue;
                }
                for f in &forbidden {
                    assert!(
                        !line.contains(f.as_str()),
                        "{}:{}: {name} names {f}",
                        file.display(),
                        n + 1
                    );
                }
            }
        }
    }
}

#[test]
fn no_crate_has_an_import_circle() {
    let mut circles = Vec::new();
    for (name, _) in LAYERS.iter().chain([("sundhed-testkit", &[][..])].iter()) {
        let src = crates_dir().join(name).join("src");
        // Depth 1: the top-level modules; depth 3: also siblings inside them (`seb::form`).
        for depth in [1, 3] {
            let graph = module_graph(&src, depth);
            assert!(
                !graph.is_empty() || *name == "sundhed-testkit",
                "{name} has no modules"
            );
            if let Some(cycle) = find_cycle(&graph) {
                let cycle: Vec<String> = cycle.iter().map(|m| m.join("::")).collect();
                circles.push(format!("{name}: {}\n{}", cycle.join(" → "), show(&graph)));
            }
        }
    }
    assert!(
        circles.is_empty(),
        "import circles:\n{}",
        circles.join("\n")
    );
}

/// Leaf modules: what each may import inside its crate (nothing else may sit below them, or
/// an error type would pull in the machinery that raises it).
const LEAVES: [(&str, &str, &[&str]); 9] = [
    ("sundhed-identity", "rule_id", &[]),
    ("sundhed-authorisation", "rules", &[]),
    ("sundhed-authorisation", "ids", &[]),
    ("sundhed-workflow", "digest", &[]),
    ("sundhed-workflow", "event_log", &["digest"]),
    ("sundhed-identity", "refusal", &["rule_id"]),
    ("sundhed-signing", "rules", &[]),
    ("sundhed-signing", "error", &["rules"]),
    ("sundhed-signing", "budget", &["error"]),
];

#[test]
fn leaf_modules_import_only_what_they_may() {
    for (name, module, allowed) in LEAVES {
        let graph = module_graph(&crates_dir().join(name).join("src"), 1);
        let imports = graph
            .get(&vec![module.to_owned()])
            .unwrap_or_else(|| panic!("{name} has no module {module}"));
        let extra: Vec<String> = imports
            .iter()
            .map(|m| m.join("::"))
            .filter(|m| !allowed.contains(&m.as_str()))
            .collect();
        assert!(extra.is_empty(), "{name}::{module} imports {extra:?}");
    }
}
