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

fn lines(path: &PathBuf) -> Vec<String> {
    std::fs::read_to_string(path)
        .unwrap()
        .lines()
        .map(str::to_owned)
        .collect()
}

fn write_lines(path: &PathBuf, lines: &[&str]) {
    std::fs::write(
        path,
        lines.iter().map(|l| format!("{l}\n")).collect::<String>(),
    )
    .unwrap();
}

#[test]
fn wf_log_02_lines_swapped_at_the_end_are_tampering_not_a_torn_tail() {
    let path = temp("swapped-tail");
    let mut log = FileEventLog::<String>::open(&path).unwrap();
    append(&mut log, "one").unwrap();
    log.append(&["two".to_owned(), "three".to_owned()]).unwrap();
    drop(log);
    let l = lines(&path);
    // Records 3 and 2 swapped: the last line is record 2, which does not close its append.
    write_lines(&path, &[&l[0], &l[2], &l[1]]);
    let tampered = std::fs::read(&path).unwrap();
    let err = FileEventLog::<String>::open(&path).unwrap_err();
    assert_eq!(rule(&err), "WF-LOG-02", "{err}");
    // Before the fix `repair` cut record 2 and kept record 3 after record 1.
    let err = FileEventLog::<String>::repair(&path).unwrap_err();
    assert_eq!(rule(&err), "WF-LOG-02", "{err}");
    assert_eq!(std::fs::read(&path).unwrap(), tampered);
    std::fs::remove_file(&path).unwrap();
}

#[test]
fn wf_log_03_a_record_edited_before_a_torn_tail_is_not_repaired() {
    let path = temp("edited-then-torn");
    let mut log = FileEventLog::<String>::open(&path).unwrap();
    for event in ["one", "two", "three"] {
        append(&mut log, event).unwrap();
    }
    drop(log);
    let l = lines(&path);
    let edited = l[1].replace("two", "TWO");
    let torn = &l[2][..l[2].len() / 2];
    std::fs::write(&path, format!("{}\n{edited}\n{torn}", l[0])).unwrap();
    let tampered = std::fs::read(&path).unwrap();
    let err = FileEventLog::<String>::open(&path).unwrap_err();
    assert_eq!(rule(&err), "WF-LOG-03", "{err}");
    let err = FileEventLog::<String>::repair(&path).unwrap_err();
    assert_eq!(rule(&err), "WF-LOG-03", "{err}");
    assert_eq!(std::fs::read(&path).unwrap(), tampered);
    std::fs::remove_file(&path).unwrap();
}

#[test]
fn wf_log_04_a_whole_line_of_a_torn_append_that_does_not_continue_the_chain_is_not_repaired() {
    let path = temp("foreign-tail");
    let mut log = FileEventLog::<String>::open(&path).unwrap();
    append(&mut log, "one").unwrap();
    drop(log);
    // A record 2 from another log, not closing its append, then a torn line: not a crash of
    // this log, whose record 2 would name record 1's hash.
    let other = temp("foreign-tail-other");
    let mut log = FileEventLog::<String>::open(&other).unwrap();
    log.append(&["elsewhere".to_owned(), "x".to_owned(), "y".to_owned()])
        .unwrap();
    drop(log);
    let (mine, theirs) = (lines(&path), lines(&other));
    std::fs::write(&path, format!("{}\n{}\n{{\"seq\":3,", mine[0], theirs[1])).unwrap();
    let err = FileEventLog::<String>::open(&path).unwrap_err();
    assert_eq!(rule(&err), "WF-LOG-04", "{err}");
    assert_eq!(
        rule(&FileEventLog::<String>::repair(&path).unwrap_err()),
        "WF-LOG-04"
    );
    std::fs::remove_file(&path).unwrap();
    std::fs::remove_file(&other).unwrap();
}

#[test]
fn wf_log_11_a_removed_log_file_takes_no_more_appends() {
    let path = temp("removed");
    let mut log = FileEventLog::<String>::open(&path).unwrap();
    append(&mut log, "one").unwrap();
    std::fs::remove_file(&path).unwrap();
    // Before the fix this was acknowledged into the unlinked file, and gone at the restart.
    let err = append(&mut log, "two").unwrap_err();
    assert_eq!(rule(&err), "WF-LOG-11", "{err}");
    assert!(err.to_string().contains("no file is there"), "{err}");
    assert_eq!(log.head().len, 1);
    drop(log);
    let _ = std::fs::remove_file(&path);
}

#[test]
fn wf_log_11_a_log_file_renamed_or_replaced_takes_no_more_appends() {
    let path = temp("renamed");
    let moved = temp("renamed-away");
    let mut log = FileEventLog::<String>::open(&path).unwrap();
    append(&mut log, "one").unwrap();
    std::fs::rename(&path, &moved).unwrap();
    let err = append(&mut log, "two").unwrap_err();
    assert_eq!(rule(&err), "WF-LOG-11", "{err}");
    assert_eq!(lines(&moved).len(), 1);
    // Another file put in its place (a restored backup, say) is not written either.
    let other = temp("renamed-replacement");
    append(&mut FileEventLog::<String>::open(&other).unwrap(), "backup").unwrap();
    std::fs::rename(&other, &path).unwrap();
    let backup = std::fs::read(&path).unwrap();
    let err = append(&mut log, "two").unwrap_err();
    assert_eq!(rule(&err), "WF-LOG-11", "{err}");
    assert!(err.to_string().contains("another file"), "{err}");
    assert_eq!(std::fs::read(&path).unwrap(), backup);
    drop(log);
    // Opened again, the log is the file at its path now.
    let mut log = FileEventLog::<String>::open(&path).unwrap();
    assert_eq!(append(&mut log, "two").unwrap(), 2);
    drop(log);
    std::fs::remove_file(&path).unwrap();
    std::fs::remove_file(&moved).unwrap();
}
