//! Files people hand the program, as an attacker or a careless user would: a FIFO, a link, a device, a folder, a
//! forged or out-of-range attempt, a huge circuit. Each is refused at once with where and why, or set aside and
//! reported; nothing blocks, nothing is replaced that should not be, and no grade trusts the file.

use super::attempt_fixture::adult_attempt;
use super::support::{bin, catalog, repo_path};
use perfusion_trainer::attempt::{self, grade};
use proptest::prelude::*;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Runs `command`, failing the test if it takes more than `limit` (it is killed then): (exit code, stdout+stderr).
fn within(mut command: Command, limit: Duration) -> (Option<i32>, String) {
    let mut child = command.stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().unwrap();
    let start = Instant::now();
    loop {
        if child.try_wait().unwrap().is_some() {
            break;
        }
        if start.elapsed() > limit {
            child.kill().unwrap();
            panic!("{command:?} took longer than {limit:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let output = child.wait_with_output().unwrap();
    let text = format!("{}{}", String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr));
    (output.status.code(), text)
}

fn fifo(path: &Path) {
    assert!(Command::new("mkfifo").arg(path).status().unwrap().success());
}

#[test]
fn a_fifo_given_as_any_input_is_refused_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let pipe = dir.path().join("f.ron");
    fifo(&pipe);
    let solution = repo_path("scenarios/solutions/adult_cabg.ron");
    let cases: Vec<Vec<std::ffi::OsString>> = vec![
        vec!["check".into(), pipe.clone().into()],
        vec!["report".into(), pipe.clone().into()],
        vec!["validate".into(), "adult_cabg".into(), pipe.clone().into()],
        vec!["simulate".into(), "adult_cabg".into(), pipe.clone().into(), "--minutes".into(), "0.1".into()],
        vec![
            "simulate".into(),
            "adult_cabg".into(),
            solution.into(),
            "--minutes".into(),
            "0.1".into(),
            "--commands".into(),
            pipe.clone().into(),
        ],
    ];
    for args in cases {
        let mut command = bin();
        command.args(&args);
        let (code, text) = within(command, Duration::from_secs(5));
        assert_eq!(code, Some(2).filter(|_| args[0] != "check").or(Some(1)), "{args:?}: {text}");
        assert!(text.contains("not a regular file (a FIFO"), "{args:?}: {text}");
    }
}

#[test]
fn grade_lists_every_entry_with_a_reason_and_follows_no_link() {
    let catalog = catalog();
    let dir = tempfile::tempdir().unwrap();
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("a.ron"), attempt::to_ron(&adult_attempt("G. Trainee", &catalog))).unwrap();
    std::fs::write(outside.path().join("secret.txt"), "hunter2 is the password").unwrap();
    std::os::unix::fs::symlink(outside.path().join("secret.txt"), dir.path().join("s.ron")).unwrap();
    std::os::unix::fs::symlink(dir.path().join("gone"), dir.path().join("d.ron")).unwrap();
    std::fs::create_dir(dir.path().join("x.ron")).unwrap();
    fifo(&dir.path().join("p.ron"));
    let mut command = bin();
    command.arg("grade").arg(dir.path());
    let (code, csv) = within(command, Duration::from_secs(10));
    assert_eq!(code, Some(1), "{csv}");
    for (name, reason) in [
        ("d.ron", "a link: grade does not follow links"),
        ("s.ron", "a link: grade does not follow links"),
        ("x.ron", "a folder, not an attempt file"),
        ("p.ron", "not a regular file (a FIFO"),
    ] {
        let row = csv.lines().find(|l| l.starts_with(name)).unwrap_or_else(|| panic!("no row for {name}: {csv}"));
        assert!(row.contains(reason), "{row}");
    }
    assert!(!csv.contains("hunter2"), "nothing of the link's target reaches the CSV");
    assert!(csv.lines().any(|l| l.starts_with("a.ron,G. Trainee,")), "{csv}");
}

#[test]
fn writes_go_through_links_refuse_what_is_not_a_file_keep_modes_and_name_the_users_path() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let attempt_file = dir.path().join("a.ron");
    std::fs::write(&attempt_file, attempt::to_ron(&adult_attempt("H. Trainee", &catalog()))).unwrap();
    let report = |out: &Path| {
        let mut command = bin();
        command.arg("report").arg(&attempt_file).arg("--out").arg(out);
        within(command, Duration::from_secs(10))
    };
    // Through a link: the target is written, the link stays a link, the target keeps its 0644.
    let target = dir.path().join("target.html");
    std::fs::write(&target, "old").unwrap();
    std::fs::set_permissions(&target, std::fs::Permissions::from_mode(0o644)).unwrap();
    let link = dir.path().join("link.html");
    std::os::unix::fs::symlink(&target, &link).unwrap();
    let (code, text) = report(&link);
    assert_eq!(code, Some(0), "{text}");
    assert!(std::fs::symlink_metadata(&link).unwrap().file_type().is_symlink(), "the link is kept");
    assert!(std::fs::read_to_string(&target).unwrap().starts_with("<!DOCTYPE html>"), "the target is written");
    assert_eq!(std::fs::metadata(&target).unwrap().permissions().mode() & 0o777, 0o644);
    // A FIFO (not a regular file) is refused, never replaced nor waited on.
    let pipe = dir.path().join("p.html");
    fifo(&pipe);
    let (code, text) = report(&pipe);
    assert_eq!(code, Some(2), "{text}");
    assert!(text.contains("p.html: not a regular file"), "{text}");
    assert!(!std::fs::metadata(&pipe).unwrap().is_file(), "the FIFO is still a FIFO");
    // A missing folder is named as the user gave it, not by a temporary file.
    let given = dir.path().join("nowhere/r.html");
    let (code, text) = report(&given);
    assert_eq!(code, Some(2));
    assert!(text.contains(&format!("{}: the folder", given.display())), "{text}");
}

#[test]
fn every_time_in_an_attempt_is_checked_on_load_and_large_numbers_print_short() {
    let catalog = catalog();
    let honest = adult_attempt("I. Trainee", &catalog);
    let alarm = honest
        .log
        .iter()
        .position(|e| matches!(e.event, attempt::Event::AlarmRaised { .. }))
        .expect("the fixture raises an alarm");
    for (bad, shown) in [(f64::NAN, "NaN"), (1e308, "1e308"), (-5.0, "-5")] {
        let mut forged = honest.clone();
        forged.log[alarm].at_s = bad;
        let text = attempt::to_ron(&forged);
        let error = attempt::from_source_once(&perfusion_trainer::input::Source::new("a.ron", text), &catalog)
            .expect_err("refused");
        let error = error.to_string();
        assert!(error.contains(&format!("log[{alarm}].at_s")) && error.contains(shown), "{error}");
        assert!(error.len() < 400, "short: {error}");
    }
}

#[test]
fn a_circuit_beyond_the_limits_is_one_error_found_at_once() {
    let solution = std::fs::read_to_string(repo_path("scenarios/solutions/adult_cabg.ron")).unwrap();
    let extra: String = (0..250)
        .map(|k| format!("        (id: {}, part: \"connector_straight_3_8\", pos: (x: 0.0, y: 0.0)),\n", 1000 + k))
        .collect();
    let anchor = "    parts: [\n";
    let big = solution.replacen(anchor, &format!("{anchor}{extra}"), 1);
    assert_ne!(big, solution);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("big.ron");
    std::fs::write(&path, big).unwrap();
    let mut command = bin();
    command.arg("validate").arg("adult_cabg").arg(&path);
    let (code, text) = within(command, Duration::from_secs(5));
    assert_eq!(code, Some(2), "{text}");
    assert!(text.contains("parts[200]: item 201 of a list that holds at most 200"), "{text}");
}

#[test]
fn messages_say_what_to_write() {
    let scenario = std::fs::read_to_string(repo_path("scenarios/adult_cabg.ron")).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("s.ron");
    let negative = scenario.replacen("count: 1)", "count: -1)", 1).replacen("weight_kg: 80.0", "weight_kg: 1e308", 1);
    std::fs::write(&path, negative).unwrap();
    let output = bin().arg("check").arg(&path).output().unwrap();
    let text = String::from_utf8_lossy(&output.stdout).to_string() + &String::from_utf8_lossy(&output.stderr);
    assert!(text.contains("write a count from 0 up"), "{text}");
    let output = bin()
        .args(["simulate", "adult_cabg"])
        .arg(repo_path("scenarios/solutions/adult_cabg.ron"))
        .args(["--minutes", "-1"])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&output.stderr);
    assert!(text.contains("minutes must be from 0 to 1440"), "{text}");
    let path = dir.path().join("w.ron");
    std::fs::write(&path, scenario.replacen("weight_kg: 80.0", "weight_kg: 1e308", 1)).unwrap();
    let output = bin().arg("check").arg(&path).output().unwrap();
    let text = String::from_utf8_lossy(&output.stdout).to_string() + &String::from_utf8_lossy(&output.stderr);
    assert!(text.contains("1e308 is outside 0.5–250 kg"), "{text}");
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 8, ..ProptestConfig::default() })]

    /// An attempt mutated anywhere it could be forged (a trend value, the stored score, a log time, the scenario
    /// copy with its hash recomputed) is either refused or graded exactly as the honest one: `grade` never reports a
    /// score the replay does not give.
    #[test]
    fn a_mutated_attempt_never_grades_other_than_its_replay(which in 0usize..4, value in -1.0e6f64..1.0e6) {
        let catalog = catalog();
        let honest = adult_attempt("J. Trainee", &catalog);
        let mut forged = honest.clone();
        match which {
            0 => {
                if let Some(row) = forged.trends.first_mut().and_then(|t| t.rows.get_mut(1)) {
                    row.values.iter_mut().for_each(|v| *v = value);
                }
            }
            1 => {
                if let Some(score) = forged.score.as_mut() {
                    score.total = value;
                }
            }
            2 => {
                let last = forged.log.len() - 1;
                forged.log[last].at_s = value;
            }
            _ => {
                let text = forged.scenario.text.replacen("max_prime_ml: 1500.0", "max_prime_ml: 4000.0", 1);
                forged.scenario = attempt::ScenarioCopy::new("adult_cabg", text);
            }
        }
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("honest.ron"), attempt::to_ron(&honest)).unwrap();
        std::fs::write(dir.path().join("x_forged.ron"), attempt::to_ron(&forged)).unwrap();
        let files = grade::attempt_files(dir.path()).unwrap();
        let rows = grade::grade_files(&files, &catalog, grade::Instructor::Bundled);
        let honest_total = rows[0].result.as_ref().unwrap().score.total;
        if let Ok(graded) = &rows[1].result {
            prop_assert!((graded.score.total - honest_total).abs() < 1e-9, "{} vs {honest_total}", graded.score.total);
        }
    }
}

/// Text from a file reaches the terminal without its control characters: an escape sequence in a scenario's title
/// (clear screen, a window title) is printed as U+FFFD, not run.
#[test]
fn control_characters_from_files_never_reach_the_terminal() {
    let scenario = std::fs::read_to_string(repo_path("scenarios/adult_cabg.ron")).unwrap();
    let hostile = scenario.replacen(
        "title: \"Adult CABG: standard bypass circuit\"",
        "title: \"Adult \\u{1b}[2J\\u{1b}]0;owned\\u{7}CABG\"",
        1,
    );
    assert_ne!(hostile, scenario);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("s.ron");
    std::fs::write(&path, hostile).unwrap();
    let output = bin().arg("check").arg(&path).output().unwrap();
    let text = String::from_utf8_lossy(&output.stdout).to_string() + &String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{text}");
    assert!(text.contains("Adult \u{fffd}[2J\u{fffd}]0;owned\u{fffd}CABG"), "{text}");
    assert!(!text.contains('\u{1b}') && !text.contains('\u{7}'));
}

/// Messages that lead to the fix: a value that takes no fields written with parentheses, one that takes fields
/// written bare, a fraction or a ratio written as a percentage, a rule parameter written as a struct, a parameter
/// given to a rule that reads its limit from `targets` or that belongs to another rule.
#[test]
fn scenario_messages_say_exactly_what_to_write() {
    let scenario = std::fs::read_to_string(repo_path("scenarios/adult_cabg.ron")).unwrap();
    let faults_at = scenario.find("    faults: [").unwrap();
    let faults_end = faults_at + scenario[faults_at..].find("    ],").unwrap() + "    ],".len();
    let with_fault = |fault: &str| {
        format!("{}    faults: [\n        {fault}\n    ],{}", &scenario[..faults_at], &scenario[faults_end..])
    };
    let notes_at = scenario.find("    instructor_notes:").unwrap();
    let with_rules = |rule: &str| format!("{}    rules: [{rule}],\n{}", &scenario[..notes_at], &scenario[notes_at..]);
    let dir = tempfile::tempdir().unwrap();
    for (text, expected) in [
        (
            with_fault("(at_s: 900.0, kind: VenousDisconnection()),"),
            "`VenousDisconnection` takes no fields (write the bare word `VenousDisconnection`, without parentheses)",
        ),
        (with_fault("(at_s: 900.0, kind: PumpPowerLoss),"), "`PumpPowerLoss` takes fields (write `PumpPowerLoss(...)`"),
        (scenario.replacen("min_hct: 0.21,", "min_hct: 35.0,", 1), "a fraction, not a percentage: write 0.35"),
        (
            with_rules(r#"(rule: "readiness.sweep_low", params: [("min_gas_to_blood", 50.0)])"#),
            "a ratio, not a percentage: write 0.5",
        ),
        (
            with_rules(r#"(rule: "readiness.reservoir_height", params: [(name: "min_drop_cm", value: 30.0)])"#),
            r#"write it as ("name", value), like ("min_drop_cm", 30.0)"#,
        ),
        (
            with_rules(r#"(rule: "patient.haemodilution", params: [("min_hct", 0.28)])"#),
            "patient.haemodilution takes no parameters: it reads targets.min_hct and targets.added_blood_hct; \
             \"min_hct\" is a parameter of patient.haemodilution_critical",
        ),
        (
            with_rules(r#"(rule: "readiness.sweep_gas", params: [("min_gas_to_blood", 0.5)])"#),
            "\"min_gas_to_blood\" is a parameter of readiness.sweep_low",
        ),
    ] {
        let path = dir.path().join("s.ron");
        std::fs::write(&path, text).unwrap();
        let output = bin().arg("check").arg(&path).output().unwrap();
        let said = String::from_utf8_lossy(&output.stdout).to_string() + &String::from_utf8_lossy(&output.stderr);
        assert!(said.contains(expected), "{said}");
    }
}

/// `grade` waits a limited time for each attempt: one whose replay takes longer gets a row saying so, at once.
#[test]
fn grade_reports_an_attempt_that_takes_longer_than_its_time_limit() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("a.ron"), attempt::to_ron(&adult_attempt("K. Trainee", &catalog()))).unwrap();
    let mut command = bin();
    command.arg("grade").arg(dir.path()).args(["--time-limit", "0.01"]);
    let (code, csv) = within(command, Duration::from_secs(5));
    assert_eq!(code, Some(1), "{csv}");
    assert!(csv.contains("not graded: its replay took longer than 0.01 s"), "{csv}");
}
