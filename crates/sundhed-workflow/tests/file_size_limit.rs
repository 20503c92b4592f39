//! A failed append on a real file (issue 14), in a test binary of its own: the test spawns a
//! child process, and a child forked while another test drops a log would hold that log's
//! lock (`WF-LOG-09`) for a moment.
#![cfg(unix)]

use std::path::PathBuf;

use sundhed_workflow::{EventLog, FileEventLog, LogError};

fn append(log: &mut FileEventLog<String>, event: &str) -> Result<u64, LogError> {
    log.append(&[event.to_owned()]).map(|h| h.len)
}

fn rule(err: &LogError) -> &'static str {
    err.rule().as_str()
}

/// The attack of issue 14, for real: an append runs into the file-size limit half-way (as on
/// a full disk). This test runs again in a child process under `ulimit -f` with `SIGXFSZ`
/// ignored, so the write fails with `EFBIG` after writing what fits.
#[test]
fn wf_log_10_an_append_past_the_file_size_limit_is_cut_back_and_stops_the_log() {
    const CHILD: &str = "SUNDHED_WORKFLOW_FSIZE_CHILD";
    if let Some(path) = std::env::var_os(CHILD) {
        // In the child, limited to a few kilobytes.
        let mut log = FileEventLog::<String>::open(&path).unwrap();
        let before = std::fs::read(&path).unwrap();
        let err = append(&mut log, &"x".repeat(20_000)).unwrap_err();
        assert_eq!(rule(&err), "WF-LOG-07", "{err}");
        assert_eq!(std::fs::read(&path).unwrap(), before);
        // Before the fix this was acknowledged, glued onto the half-written line.
        let err = append(&mut log, "small").unwrap_err();
        assert_eq!(rule(&err), "WF-LOG-10", "{err}");
        assert_eq!(std::fs::read(&path).unwrap(), before);
        return;
    }
    let path: PathBuf = std::env::temp_dir().join(format!(
        "sundhed-workflow-file-size-limit-{}.jsonl",
        std::process::id()
    ));
    let _ = std::fs::remove_file(&path);
    append(&mut FileEventLog::<String>::open(&path).unwrap(), "one").unwrap();
    let before = std::fs::read(&path).unwrap();
    let output = std::process::Command::new("sh")
        .arg("-c")
        .arg(r#"trap '' XFSZ; ulimit -f 4 && exec "$0" "$@""#)
        .arg(std::env::current_exe().unwrap())
        .args([
            "--exact",
            "wf_log_10_an_append_past_the_file_size_limit_is_cut_back_and_stops_the_log",
            "--test-threads=1",
        ])
        .env(CHILD, &path)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success() && stdout.contains("1 passed"),
        "the child failed: {}\n{stdout}\n{}",
        output.status,
        String::from_utf8_lossy(&output.stderr)
    );
    assert_eq!(std::fs::read(&path).unwrap(), before);
    // Opened again, nothing acknowledged is lost and the log goes on.
    let mut log = FileEventLog::<String>::open(&path).unwrap();
    assert_eq!(append(&mut log, "two").unwrap(), 2);
    assert_eq!(log.verify().unwrap().len, 2);
    drop(log);
    std::fs::remove_file(&path).unwrap();
}
