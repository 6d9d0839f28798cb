//! The binary's commands: exit codes and the JSON contract of docs/cli.md.

use super::support::{bin, repo_path};
use perfusion_trainer::scenario::bundled_ids;

fn json(output: &std::process::Output) -> serde_json::Value {
    assert!(output.status.success(), "stderr:\n{}", String::from_utf8_lossy(&output.stderr));
    serde_json::from_slice(&output.stdout).expect("stdout is JSON")
}

#[test]
fn check_accepts_every_bundled_scenario_and_solution() {
    let mut command = bin();
    command.arg("check");
    for id in bundled_ids() {
        command.arg(repo_path(&format!("scenarios/{id}.ron")));
        command.arg(repo_path(&format!("scenarios/solutions/{id}.ron")));
    }
    command.arg(repo_path("assets/catalog.ron"));
    let output = command.output().unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert_eq!(output.status.code(), Some(0), "stderr:\n{}", String::from_utf8_lossy(&output.stderr));
    assert_eq!(
        stdout.lines().filter(|line| line.starts_with("ok: ")).count(),
        2 * bundled_ids().count() + 1,
        "{stdout}"
    );
}

#[test]
fn check_fails_with_exit_1_when_any_file_is_invalid() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.ron");
    std::fs::write(&bad, "Scenario(version: 2)").unwrap();
    let output = bin().arg("check").arg(repo_path("scenarios/adult_cabg.ron")).arg(&bad).output().unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("bad.ron:1:"), "{stderr}");
    let missing = bin().arg("check").arg(dir.path().join("missing.ron")).output().unwrap();
    assert_eq!(missing.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&missing.stderr).contains("cannot open"));
}

#[test]
fn patient_json_has_the_documented_fields() {
    let value = json(&bin().args(["patient", "adult_cabg", "--json"]).output().unwrap());
    for field in ["scenario", "bsa_m2", "blood_volume_ml", "target_flow_l_min", "min_hct", "max_prime_ml", "patient"] {
        assert!(value.get(field).is_some(), "missing {field}: {value}");
    }
    let bsa = value["bsa_m2"].as_f64().unwrap();
    let index = value["cardiac_index_l_min_m2"].as_f64().unwrap();
    let flow = value["target_flow_l_min"].as_f64().unwrap();
    assert!((flow - bsa * index).abs() < 1e-9);
}

#[test]
fn patient_reads_a_scenario_file_too_and_refuses_a_broken_one_with_exit_2() {
    let path = repo_path("scenarios/child_cpb.ron");
    let output = bin().arg("patient").arg(&path).output().unwrap();
    assert!(output.status.success());
    assert!(String::from_utf8_lossy(&output.stdout).contains("Target flow"));
    let broken = bin().args(["patient", "no_such_scenario"]).output().unwrap();
    assert_eq!(broken.status.code(), Some(2));
}

#[test]
fn prime_json_adds_up() {
    for id in bundled_ids() {
        let circuit = repo_path(&format!("scenarios/solutions/{id}.ron"));
        let value = json(&bin().args(["prime", id]).arg(&circuit).arg("--json").output().unwrap());
        let primed = |list: &str| -> f64 {
            value[list]
                .as_array()
                .unwrap()
                .iter()
                .filter(|item| !item["dry"].as_bool().unwrap())
                .map(|item| item["prime_ml"].as_f64().unwrap())
                .sum()
        };
        let (parts, tubes) = (primed("parts"), primed("tubes"));
        let total = value["total_prime_ml"].as_f64().unwrap();
        assert!((parts + tubes - total).abs() < 1e-6, "{id}");
        assert!(value["predicted_hct"].as_f64().unwrap() < value["hct_before"].as_f64().unwrap(), "{id}: dilution");
    }
}

#[test]
fn a_catalog_override_is_used_and_checked() {
    let dir = tempfile::tempdir().unwrap();
    let broken = dir.path().join("catalog.ron");
    std::fs::write(&broken, "Catalog(version: 1, tubing: [], parts: [(id: \"x\")])").unwrap();
    let output = bin().arg("--catalog").arg(&broken).args(["patient", "adult_cabg"]).output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("catalog.ron:1:") && stderr.contains("missing field"), "{stderr}");
}

#[test]
fn help_lists_every_command() {
    let output = bin().arg("--help").output().unwrap();
    let help = String::from_utf8_lossy(&output.stdout);
    for command in ["check", "patient", "prime", "--catalog"] {
        assert!(help.contains(command), "{help}");
    }
}

#[test]
fn validate_exits_0_on_a_reference_solution_and_1_on_a_critical_finding() {
    let dir = tempfile::tempdir().unwrap();
    let solution = repo_path("scenarios/solutions/adult_cabg.ron");
    let clean = bin().args(["validate", "adult_cabg"]).arg(&solution).output().unwrap();
    assert_eq!(clean.status.code(), Some(0), "{}", String::from_utf8_lossy(&clean.stdout));

    // The arterial line clamped: a critical finding.
    let text = std::fs::read_to_string(&solution).unwrap();
    let line = "to: (part: 10, port: \"connector\"), tubing: \"tubing_3_8\", length_m: 1.80";
    let clamped = text.replacen(line, &format!("{line}, clamped: true"), 1);
    assert_ne!(clamped, text, "the arterial line tube was found in the solution");
    let path = dir.path().join("clamped.ron");
    std::fs::write(&path, clamped).unwrap();
    let output = bin().args(["validate", "adult_cabg"]).arg(&path).arg("--json").output().unwrap();
    assert_eq!(output.status.code(), Some(1));
    let value: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(value["critical"], true);
    let finding = &value["findings"][0];
    assert_eq!(finding["rule"], "readiness.clamp_on_main_line");
    assert_eq!(finding["severity"], "critical");

    let text_output = bin().args(["validate", "adult_cabg"]).arg(&path).output().unwrap();
    let stdout = String::from_utf8_lossy(&text_output.stdout);
    assert!(stdout.contains("CRITICAL (1)") && stdout.contains("Why:") && stdout.contains("Fix:"), "{stdout}");

    let unreadable = bin().args(["validate", "adult_cabg"]).arg(dir.path().join("missing.ron")).output().unwrap();
    assert_eq!(unreadable.status.code(), Some(2));
}

#[test]
fn simulate_writes_a_trend_with_units_every_second() {
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(repo_path("scenarios/solutions/adult_cabg.ron")).unwrap();
    // The arterial pump (part 3) at 100 rpm: 100 × 45 mL = 4.5 L/min.
    let running = text.replacen(
        "(id: 3, part: \"roller_pump_1_2\", pos: (x: 300.0, y: 380.0), controls: Pump(rpm: 0.0,",
        "(id: 3, part: \"roller_pump_1_2\", pos: (x: 300.0, y: 380.0), controls: Pump(rpm: 100.0,",
        1,
    );
    assert_ne!(running, text, "the arterial pump line was found");
    let circuit = dir.path().join("running.ron");
    std::fs::write(&circuit, running).unwrap();
    let csv = dir.path().join("trend.csv");
    let output = bin()
        .args(["simulate", "adult_cabg"])
        .arg(&circuit)
        .args(["--minutes", "1", "--csv"])
        .arg(&csv)
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let trend = std::fs::read_to_string(&csv).unwrap();
    let lines: Vec<&str> = trend.lines().collect();
    assert_eq!(lines.len(), 1 + 61, "a header and one row per second from 0 to 60 s");
    let header: Vec<&str> = lines[0].split(',').collect();
    assert_eq!(header[0], "time (s)");
    assert!(header.iter().all(|h| h.ends_with(')')), "every column names its unit: {header:?}");
    assert_eq!(header.last(), Some(&"alarms (list)"));
    let flow_column = header.iter().position(|h| *h == "Roller pump 1 flow (L/min)").unwrap();
    let fields: Vec<&str> = lines[61].split(',').collect();
    let last: Vec<f64> = fields[..fields.len() - 1].iter().map(|v| v.parse().unwrap()).collect();
    assert!((last[0] - 60.0).abs() < 1e-9);
    assert!((last[flow_column] - 4.5).abs() < 0.01, "{}", last[flow_column]);

    let json =
        bin().args(["simulate", "adult_cabg"]).arg(&circuit).args(["--minutes", "0.1", "--json"]).output().unwrap();
    let value: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(value["rows"].as_array().unwrap().len(), 7);
    assert!(value["rows"][6]["values"].as_array().is_some() && value["rows"][6]["alarms"].is_string());

    let bad = bin().args(["simulate", "adult_cabg"]).arg(&circuit).args(["--minutes", "-3"]).output().unwrap();
    assert_eq!(bad.status.code(), Some(2));
}

#[test]
fn simulate_applies_timed_commands_and_reports_alarms() {
    let dir = tempfile::tempdir().unwrap();
    let commands = dir.path().join("commands.ron");
    // Go on bypass at 0 s (arterial pump, part 3, 105 rpm); clamp the arterial line (tube 16) at 20 s.
    std::fs::write(
        &commands,
        r#"Commands(version: 1, commands: [
            (at_s: 20.0, edit: SetClamp(tube: 16, clamped: true)),
            (at_s: 0.0, edit: SetControls(part: 3, controls: Pump(rpm: 105.0, direction: Forward, occlusion_set: true))),
        ])"#,
    )
    .unwrap();
    let simulate = |minutes: &str| {
        bin()
            .args(["simulate", "adult_cabg"])
            .arg(repo_path("scenarios/solutions/adult_cabg.ron"))
            .args(["--minutes", minutes, "--commands"])
            .arg(&commands)
            .output()
            .unwrap()
    };
    let output = simulate("0.5");
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let csv = String::from_utf8_lossy(&output.stdout);
    let rows: Vec<&str> = csv.lines().skip(1).collect();
    assert!(!rows[15].contains("Arterial line pressure high"), "{}", rows[15]);
    assert!(rows[22].contains("Arterial line pressure high"), "{}", rows[22]);

    std::fs::write(&commands, "Commands(version: 1, commands: [(at_s: 1.0, edit: RemovePart(part: 3))])").unwrap();
    let refused = simulate("0.1");
    assert_eq!(refused.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert!(stderr.contains("commands.ron:1:") && stderr.contains("commands[0].edit"), "{stderr}");
}

#[test]
fn a_circuit_built_for_another_scenario_is_noted() {
    let circuit = repo_path("scenarios/solutions/child_cpb.ron");
    for command in ["prime", "validate"] {
        let output = bin().args([command, "adult_cabg"]).arg(&circuit).output().unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(stderr.contains("was built for scenario \"child_cpb\", not \"adult_cabg\""), "{command}: {stderr}");
    }
}

#[test]
fn open_refuses_an_unreadable_circuit_before_any_window_with_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("broken.ron");
    std::fs::write(&path, "Circuit(version: 1, parts: [").unwrap();
    let output = bin().args(["open", "adult_cabg"]).arg(&path).output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("broken.ron:1:"), "{stderr}");
}

/// `simulate --no-faults` rehearses the circuit as it should run: the drill's power failure does not come.
#[test]
fn simulate_without_faults_leaves_the_scenarios_faults_out() {
    let dir = tempfile::tempdir().unwrap();
    let commands = dir.path().join("go.ron");
    std::fs::write(
        &commands,
        "Commands(version: 1, commands: [(at_s: 0.0, edit: SetControls(part: 3, controls: Pump(rpm: 2800.0, \
         direction: Forward, occlusion_set: false)))])",
    )
    .unwrap();
    let flow_at_8_min = |extra: &[&str]| {
        let output = bin()
            .args(["simulate", "drill_va_power_failure"])
            .arg(repo_path("scenarios/solutions/drill_va_power_failure.ron"))
            .args(["--minutes", "8", "--commands"])
            .arg(&commands)
            .args(extra)
            .output()
            .unwrap();
        let text = String::from_utf8(output.stdout).unwrap();
        let last = text.lines().last().unwrap().to_owned();
        last.split(',').nth(1).unwrap().parse::<f64>().unwrap()
    };
    assert!(flow_at_8_min(&[]) < 0.1, "the power failure at 5 min stops the pump");
    assert!(flow_at_8_min(&["--no-faults"]) > 4.0, "without faults the pump runs on");
}

/// docs/catalog.md is what `catalog` prints: the instructor's reference never drifts from the program.
#[test]
fn the_catalog_doc_is_what_the_catalog_command_prints() {
    let output = bin().arg("catalog").output().unwrap();
    assert!(output.status.success());
    let printed = String::from_utf8(output.stdout).unwrap();
    let doc = std::fs::read_to_string(repo_path("docs/catalog.md")).unwrap();
    assert_eq!(doc, printed, "regenerate with `perfusion-trainer catalog > docs/catalog.md`");
    assert!(printed.contains("| `oxygenator_ecmo_paediatric` |"), "{printed}");
    let json = bin().args(["catalog", "--json"]).output().unwrap();
    let value: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert!(value["parts"].as_array().is_some_and(|p| p.len() > 50));
}

/// `check` warns when a scenario cannot be solved with its own kit (no adult oxygenator for an adult's flow), and
/// stays quiet, exit 0, on every bundled scenario.
#[test]
fn check_warns_when_the_kit_cannot_solve_the_scenario() {
    let scenario = std::fs::read_to_string(repo_path("scenarios/adult_cabg.ron")).unwrap();
    let without = scenario.replacen("(part: \"oxygenator_adult\", count: 1),", "", 1);
    assert_ne!(without, scenario);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("s.ron");
    std::fs::write(&path, without).unwrap();
    let output = bin().arg("check").arg(&path).output().unwrap();
    assert!(output.status.success());
    let warned = String::from_utf8_lossy(&output.stderr);
    assert!(warned.contains("no oxygenator rated for the target flow of 4.73 L/min"), "{warned}");
    let mut all = bin();
    all.arg("check");
    for id in bundled_ids() {
        all.arg(repo_path(&format!("scenarios/{id}.ron")));
    }
    let output = all.output().unwrap();
    assert!(output.stderr.is_empty(), "{}", String::from_utf8_lossy(&output.stderr));
}

/// Parts named in the circuit file ("P-pre-membrane", "BD arterial") are named so in the trend's columns and in the
/// findings, where a perfusionist reads them.
#[test]
fn part_names_from_the_circuit_file_reach_trends_and_findings() {
    let dir = tempfile::tempdir().unwrap();
    let named = dir.path().join("named.ron");
    let text = std::fs::read_to_string(repo_path("scenarios/solutions/adult_cabg.ron")).unwrap();
    let transducer = r#"(id: 13, part: "pressure_transducer", pos: (x: 540.0, y: 240.0), servo_to: 3)"#;
    let detector = r#"(id: 9, part: "bubble_detector", pos: (x: 1020.0, y: 380.0), servo_to: 3)"#;
    assert!(text.contains(transducer) && text.contains(detector), "the reference circuit changed");
    let text = text
        .replace(transducer, &transducer.replace("servo_to: 3)", r#"servo_to: 3, label: "P-pre-membrane")"#))
        .replace(detector, &detector.replace("servo_to: 3)", r#"label: "BD arterial")"#));
    std::fs::write(&named, text).unwrap();

    let output = bin().args(["simulate", "adult_cabg"]).arg(&named).args(["--minutes", "0.05"]).output().unwrap();
    let trend = String::from_utf8(output.stdout).unwrap();
    let header = trend.lines().next().unwrap();
    assert!(header.contains("P-pre-membrane (mmHg)") && header.contains("Pressure transducer 2 (mmHg)"), "{header}");

    let output = bin().args(["validate", "adult_cabg"]).arg(&named).output().unwrap();
    let findings = String::from_utf8(output.stdout).unwrap();
    assert!(findings.contains("BD arterial is not linked to Roller pump 1"), "{findings}");
}
