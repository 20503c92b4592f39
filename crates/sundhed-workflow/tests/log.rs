//! The event log: tamper evidence, torn tails, reopening.

use std::path::PathBuf;

use sundhed_workflow::{Digest, EventLog, FileEventLog, Head, LogError, MemoryEventLog};

fn temp(name: &str) -> PathBuf {
    let path = std::env::temp_dir().join(format!(
        "sundhed-workflow-test-{}-{name}.jsonl",
        std::process::id()
    ));
    let _ = std::fs::remove_file(&path);
    path
}

fn events(n: usize) -> Vec<String> {
    (1..=n).map(|i| format!("event number {i}")).collect()
}

/// Appends the events one append each, so every record closes its append.
fn fill(log: &mut impl EventLog<String>, n: usize) {
    for event in events(n) {
        log.append(&[event]).unwrap();
    }
}

fn memory(n: usize) -> MemoryEventLog<String> {
    let mut log = MemoryEventLog::new();
    fill(&mut log, n);
    log
}

fn rule(err: &LogError) -> &'static str {
    err.rule().as_str()
}

#[test]
fn a_fresh_log_verifies_and_reads_back() {
    let log = memory(5);
    let head = log.verify().unwrap();
    assert_eq!(head.len, 5);
    assert_eq!(head, log.head());
    let all = log.read_from(1).unwrap();
    assert_eq!(all.len(), 5);
    assert_eq!(all[0].prev(), Digest::ZERO);
    assert_eq!(all[1].prev(), all[0].hash());
    assert_eq!(
        all.iter().map(|r| r.event().clone()).collect::<Vec<_>>(),
        events(5)
    );
    assert_eq!(log.read_from(4).unwrap().len(), 2);
    assert!(log.read_from(6).unwrap().is_empty());
}

#[test]
fn wf_log_01_a_line_that_is_not_a_record_is_refused() {
    let mut log = memory(3);
    log.lines_mut()[1] = "not json".into();
    let err = log.verify().unwrap_err();
    assert_eq!(rule(&err), "WF-LOG-01");
    assert!(err.to_string().contains("line 2"), "{err}");
}

#[test]
fn wf_log_01_an_event_of_another_type_does_not_decode() {
    let mut log = MemoryEventLog::<u32>::new();
    log.append(&[1]).unwrap();
    log.append(&[2]).unwrap();
    let lines = log.lines().to_vec();
    let mut strings = MemoryEventLog::<String>::new();
    *strings.lines_mut() = lines;
    assert!(strings.verify().is_ok(), "the chain itself is intact");
    assert_eq!(rule(&strings.read_from(1).unwrap_err()), "WF-LOG-01");
}

#[test]
fn wf_log_02_a_removed_line_is_found() {
    let mut log = memory(4);
    log.lines_mut().remove(1);
    let err = log.verify().unwrap_err();
    assert_eq!(rule(&err), "WF-LOG-02");
    assert!(
        err.to_string().contains("record 3 where record 2 belongs"),
        "{err}"
    );
}

#[test]
fn wf_log_02_two_swapped_lines_are_found() {
    let mut log = memory(4);
    log.lines_mut().swap(1, 2);
    assert_eq!(rule(&log.verify().unwrap_err()), "WF-LOG-02");
}

#[test]
fn wf_log_03_an_edited_byte_is_found() {
    let mut log = memory(4);
    let edited = log.lines()[2].replace("event number 3", "event number 9");
    log.lines_mut()[2] = edited;
    let err = log.verify().unwrap_err();
    assert_eq!(rule(&err), "WF-LOG-03");
    assert!(err.to_string().contains("record 3"), "{err}");
}

#[test]
fn wf_log_03_editing_the_last_record_is_found_too() {
    let mut log = memory(3);
    let edited = log.lines()[2].replace("number 3", "number 4");
    log.lines_mut()[2] = edited;
    assert_eq!(rule(&log.verify().unwrap_err()), "WF-LOG-03");
}

#[test]
fn wf_log_04_a_record_rehashed_after_editing_breaks_the_chain() {
    // Rewrite record 2 with a correct hash of its own: record 3 no longer follows it.
    let mut forged = MemoryEventLog::<String>::new();
    let original = memory(3);
    forged.append(&["event number 1".to_owned()]).unwrap();
    forged.append(&["forged".to_owned()]).unwrap();
    let mut lines = forged.lines().to_vec();
    lines.push(original.lines()[2].clone());
    *forged.lines_mut() = lines;
    let err = forged.verify().unwrap_err();
    assert_eq!(rule(&err), "WF-LOG-04");
    assert!(err.to_string().contains("record 3"), "{err}");
}

#[test]
fn wf_log_06_records_cut_off_the_end_are_found_against_a_saved_head() {
    let mut log = memory(4);
    let saved = log.head();
    assert_eq!(log.verify_against(&saved).unwrap(), saved);
    log.lines_mut().pop();
    assert!(log.verify().is_ok(), "a shorter log is still a valid log");
    let err = log.verify_against(&saved).unwrap_err();
    assert_eq!(rule(&err), "WF-LOG-06");
    // A head from before later appends still verifies: the log may grow.
    let early = Head {
        len: 2,
        hash: log.read_from(2).unwrap()[0].hash(),
    };
    assert!(log.verify_against(&early).is_ok());
    assert!(log.verify_against(&Head::EMPTY).is_ok());
    let wrong = Head {
        len: 2,
        hash: Digest::ZERO,
    };
    assert_eq!(rule(&log.verify_against(&wrong).unwrap_err()), "WF-LOG-06");
}

#[test]
fn the_file_log_continues_the_chain_after_reopening() {
    let path = temp("reopen");
    {
        let mut log = FileEventLog::<String>::open(&path).unwrap();
        fill(&mut log, 3);
    }
    let mut log = FileEventLog::<String>::open(&path).unwrap();
    assert_eq!(log.head().len, 3);
    let head = log.append(&["event number 4".to_owned()]).unwrap();
    assert_eq!(head.len, 4);
    assert_eq!(log.verify().unwrap(), head);
    assert_eq!(log.read_from(1).unwrap().len(), 4);
    // The same lines as a memory log writes.
    let text = std::fs::read_to_string(&path).unwrap();
    assert_eq!(text.lines().collect::<Vec<_>>(), memory(4).lines());
    std::fs::remove_file(&path).unwrap();
}

#[test]
fn wf_log_03_a_byte_edited_in_the_file_is_found() {
    let path = temp("edit");
    fill(&mut FileEventLog::<String>::open(&path).unwrap(), 3);
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(&path, text.replacen("number 2", "number 7", 1)).unwrap();
    let log = FileEventLog::<String>::open(&path).unwrap();
    assert_eq!(rule(&log.verify().unwrap_err()), "WF-LOG-03");
    assert_eq!(rule(&log.read_from(1).unwrap_err()), "WF-LOG-03");
    std::fs::remove_file(&path).unwrap();
}

#[test]
fn wf_log_02_lines_dropped_or_swapped_in_the_file_are_found() {
    let path = temp("drop");
    fill(&mut FileEventLog::<String>::open(&path).unwrap(), 3);
    let text = std::fs::read_to_string(&path).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    std::fs::write(&path, format!("{}\n{}\n", lines[0], lines[2])).unwrap();
    let log = FileEventLog::<String>::open(&path).unwrap();
    assert_eq!(rule(&log.verify().unwrap_err()), "WF-LOG-02");
    drop(log);
    std::fs::write(&path, format!("{}\n{}\n{}\n", lines[1], lines[0], lines[2])).unwrap();
    let log = FileEventLog::<String>::open(&path).unwrap();
    assert_eq!(rule(&log.verify().unwrap_err()), "WF-LOG-02");
    std::fs::remove_file(&path).unwrap();
}

#[test]
fn wf_log_05_a_line_cut_mid_way_is_reported_on_open_and_repaired_on_request() {
    let path = temp("torn");
    fill(&mut FileEventLog::<String>::open(&path).unwrap(), 3);
    let text = std::fs::read_to_string(&path).unwrap();
    let cut = text.len() - 20;
    std::fs::write(&path, &text[..cut]).unwrap();
    let err = FileEventLog::<String>::open(&path).unwrap_err();
    assert_eq!(rule(&err), "WF-LOG-05");
    assert!(err.to_string().contains("line 3"), "{err}");
    // Nothing was dropped by opening.
    assert_eq!(std::fs::read_to_string(&path).unwrap(), &text[..cut]);
    let repaired = FileEventLog::<String>::repair(&path).unwrap();
    assert_eq!(repaired.kept, 2);
    assert!(repaired.dropped_bytes > 0);
    let mut log = FileEventLog::<String>::open(&path).unwrap();
    assert_eq!(log.head().len, 2);
    log.append(&["after repair".to_owned()]).unwrap();
    assert_eq!(log.verify().unwrap().len, 3);
    std::fs::remove_file(&path).unwrap();
}

#[test]
fn wf_log_05_an_append_cut_at_a_line_boundary_is_cut_back_whole() {
    let path = temp("partial");
    let mut log = FileEventLog::<String>::open(&path).unwrap();
    fill(&mut log, 2);
    log.append(&["third".to_owned(), "fourth".to_owned(), "fifth".to_owned()])
        .unwrap();
    drop(log);
    let text = std::fs::read_to_string(&path).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    // A crash after two of the second append's three lines reached the disk.
    std::fs::write(
        &path,
        format!("{}\n{}\n{}\n{}\n", lines[0], lines[1], lines[2], lines[3]),
    )
    .unwrap();
    let err = FileEventLog::<String>::open(&path).unwrap_err();
    assert_eq!(rule(&err), "WF-LOG-05");
    assert!(err.to_string().contains("line 3"), "{err}");
    // Reading the same bytes through another path is refused too.
    let mut memory = MemoryEventLog::<String>::new();
    *memory.lines_mut() = lines[..4].iter().map(|l| (*l).to_owned()).collect();
    assert_eq!(rule(&memory.verify().unwrap_err()), "WF-LOG-05");
    assert_eq!(FileEventLog::<String>::repair(&path).unwrap().kept, 2);
    let log = FileEventLog::<String>::open(&path).unwrap();
    assert_eq!(log.verify().unwrap().len, 2);
    std::fs::remove_file(&path).unwrap();
}

#[test]
fn wf_log_05_an_unparsable_last_line_with_a_newline_is_torn_too() {
    let path = temp("garbage");
    fill(&mut FileEventLog::<String>::open(&path).unwrap(), 2);
    let mut text = std::fs::read_to_string(&path).unwrap();
    text.push_str("{\"seq\":3\n");
    std::fs::write(&path, &text).unwrap();
    assert_eq!(
        rule(&FileEventLog::<String>::open(&path).unwrap_err()),
        "WF-LOG-05"
    );
    std::fs::remove_file(&path).unwrap();
}

#[test]
fn wf_log_07_a_log_that_cannot_be_read_is_an_io_error() {
    let path = temp("readonly");
    let mut log = FileEventLog::<String>::open(&path).unwrap();
    fill(&mut log, 1);
    // Replace the handle's file by a directory so the next read fails, and check the error.
    std::fs::remove_file(&path).unwrap();
    std::fs::create_dir(&path).unwrap();
    let err = log.verify().unwrap_err();
    assert_eq!(rule(&err), "WF-LOG-07");
    std::fs::remove_dir(&path).unwrap();
}
