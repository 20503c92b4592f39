//! The file log under faults (issue 14): two writers, a failed append, a torn tail after
//! tampering, a file removed or replaced under a running log.

use std::path::PathBuf;

use sundhed_workflow::{EventLog, FileEventLog, LogError};

fn temp(name: &str) -> PathBuf {
    let path = std::env::temp_dir().join(format!(
        "sundhed-workflow-file-log-{}-{name}.jsonl",
        std::process::id()
    ));
    let _ = std::fs::remove_file(&path);
    path
}

fn rule(err: &LogError) -> &'static str {
    err.rule().as_str()
}

fn append(log: &mut FileEventLog<String>, event: &str) -> Result<u64, LogError> {
    log.append(&[event.to_owned()]).map(|h| h.len)
}

#[test]
fn wf_log_09_a_second_writer_on_the_same_file_is_refused() {
    let path = temp("two-writers");
    let mut first = FileEventLog::<String>::open(&path).unwrap();
    append(&mut first, "one").unwrap();
    // The attack: a second registry on the same file would append record 2 again.
    let err = FileEventLog::<String>::open(&path).unwrap_err();
    assert_eq!(rule(&err), "WF-LOG-09");
    assert!(
        err.to_string().contains("in use by another writer"),
        "{err}"
    );
    // `repair` does not cut a file under a running log either.
    assert_eq!(
        rule(&FileEventLog::<String>::repair(&path).unwrap_err()),
        "WF-LOG-09"
    );
    assert_eq!(append(&mut first, "two").unwrap(), 2);
    drop(first);
    // Once the first is closed, the file opens again and its chain is whole.
    let mut log = FileEventLog::<String>::open(&path).unwrap();
    assert_eq!(append(&mut log, "three").unwrap(), 3);
    assert_eq!(log.verify().unwrap().len, 3);
    drop(log);
    std::fs::remove_file(&path).unwrap();
}
