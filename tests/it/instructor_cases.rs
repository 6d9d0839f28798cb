//! Three scenarios a new instructor wrote from docs/ alone (tests/cases/instructor/: a 28 kg Fontan on CPB cooled
//! to 28 °C, a 110 kg femoro-femoral VA ECMO in cardiogenic shock, a 3.2 kg CDH neonate on neck VA ECMO), each with
//! the circuit a perfusionist would build, and the mistakes the instructor then made on purpose. The circuits must
//! raise no false finding; each mistake must be found, in the patient's numbers.

use super::support::{catalog, repo_path};
use perfusion_trainer::circuit::file;
use perfusion_trainer::input::Source;
use perfusion_trainer::rules::Severity;
use perfusion_trainer::scenario::Scenario;
use perfusion_trainer::validate::{Finding, validate};

const SCENARIOS: [&str; 3] = ["fontan_cpb", "bigva_ecmo", "cdh_ecmo"];

/// Validates the instructor's circuit for `id` with each `(was, now)` text replacement made (each `was` must occur
/// exactly once, so a fixture edit cannot silently stop applying).
fn findings(id: &str, replacements: &[(&str, &str)]) -> Vec<Finding> {
    let catalog = catalog();
    let dir = repo_path("tests/cases/instructor");
    let scenario = Scenario::load(&dir.join(format!("{id}.ron")), &catalog).unwrap_or_else(|d| panic!("{id}:\n{d}"));
    let mut text = std::fs::read_to_string(dir.join(format!("{id}_circuit.ron"))).unwrap();
    for (was, now) in replacements {
        assert_eq!(text.matches(was).count(), 1, "{id}: `{was}` should occur once");
        text = text.replacen(was, now, 1);
    }
    let circuit = file::from_source(&Source::new(format!("{id}_circuit.ron"), text), &catalog)
        .unwrap_or_else(|d| panic!("{id} circuit:\n{d}"))
        .circuit;
    validate(&scenario, &circuit, &catalog)
}

#[test]
fn the_instructors_circuits_raise_no_false_finding() {
    for id in SCENARIOS {
        let disputed: Vec<Finding> = findings(id, &[]).into_iter().filter(|f| f.severity != Severity::Advice).collect();
        assert!(disputed.is_empty(), "{id}: {disputed:#?}");
    }
}

/// The CDH baby's prime (245 mL over her 272 mL of blood) is advised to take blood, with her numbers.
#[test]
fn the_neonates_crystalloid_prime_is_advised_to_take_blood() {
    let advice = findings("cdh_ecmo", &[]);
    let dilution = advice.iter().find(|f| f.rule == "patient.haemodilution").expect("haemodilution advice");
    assert!(dilution.why.contains("272 mL") && dilution.why.contains("22.4 %"), "{}", dilution.why);
}

struct Mistake {
    name: &'static str,
    scenario: &'static str,
    replacements: &'static [(&'static str, &'static str)],
    rule: &'static str,
    severity: Severity,
    /// Words of the finding's title or why that carry this patient's numbers.
    says: &'static [&'static str],
}

const fn mistake(
    name: &'static str,
    scenario: &'static str,
    replacements: &'static [(&'static str, &'static str)],
    rule: &'static str,
    severity: Severity,
    says: &'static [&'static str],
) -> Mistake {
    Mistake { name, scenario, replacements, rule, severity, says }
}

const MISTAKES: &[Mistake] = {
    use Severity::{Critical, Warning};
    &[
        mistake(
            "a 10 Fr carotid return in 3.2 kg",
            "cdh_ecmo",
            &[(r#"part: "arterial_8_fr""#, r#"part: "arterial_10_fr""#)],
            "sizing.cannula_too_large",
            Critical,
            &["0.42 L/min", "3.2 kg"],
        ),
        mistake(
            "a 14 Fr aortic cannula for 2.42 L/min",
            "fontan_cpb",
            &[(r#"part: "arterial_16_fr""#, r#"part: "arterial_14_fr""#)],
            "sizing.rated_flow",
            Critical,
            &["2.42 L/min"],
        ),
        mistake(
            "two 16 Fr venous cannulae in 28 kg",
            "fontan_cpb",
            &[
                (r#"part: "venous_single_stage_20_fr""#, r#"part: "venous_single_stage_16_fr""#),
                (r#"part: "venous_single_stage_24_fr""#, r#"part: "venous_single_stage_16_fr""#),
            ],
            "sizing.rated_flow",
            Critical,
            &["1.21 L/min through each of 2 cannulae"],
        ),
        mistake(
            "a 15 Fr femoral return for 5.19 L/min",
            "bigva_ecmo",
            &[(r#"part: "femoral_arterial_19_fr""#, r#"part: "femoral_arterial_15_fr""#)],
            "sizing.rated_flow",
            Critical,
            &["5.19 L/min"],
        ),
        mistake(
            "a 19 Fr femoral drainage for 5.19 L/min",
            "bigva_ecmo",
            &[(r#"part: "femoral_venous_25_fr""#, r#"part: "femoral_venous_19_fr""#)],
            "sizing.rated_flow",
            Critical,
            &["5.19 L/min"],
        ),
        mistake(
            "the reservoir only 35 cm below the heart",
            "fontan_cpb",
            &[("height_cm: -45.0", "height_cm: -35.0")],
            "readiness.reservoir_height",
            Warning,
            &["only 35 cm below", "2.42 L/min"],
        ),
        mistake(
            "the reservoir 20 cm above the heart",
            "fontan_cpb",
            &[("height_cm: -45.0", "height_cm: 20.0")],
            "readiness.reservoir_height",
            Warning,
            &["20 cm above"],
        ),
        mistake(
            "the reservoir at heart level",
            "fontan_cpb",
            &[("height_cm: -45.0", "height_cm: 0.0")],
            "readiness.reservoir_height",
            Warning,
            &["at heart level"],
        ),
        mistake(
            "the reservoir's height left at its default",
            "fontan_cpb",
            &[("height_cm: -45.0),", "),")],
            "readiness.reservoir_height",
            Warning,
            &["heart"],
        ),
        mistake(
            "0.3 L/min of sweep for 2.42 L/min",
            "fontan_cpb",
            &[("sweep_l_min: 2.4", "sweep_l_min: 0.3")],
            "readiness.sweep_low",
            Warning,
            &["0.30 L/min", "2.42 L/min"],
        ),
        mistake(
            "0.5 L/min of sweep for 2.42 L/min",
            "fontan_cpb",
            &[("sweep_l_min: 2.4", "sweep_l_min: 0.5")],
            "readiness.sweep_low",
            Warning,
            &["0.50 L/min", "2.42 L/min"],
        ),
        mistake(
            "no sweep on VA ECMO",
            "bigva_ecmo",
            &[("sweep_l_min: 5.0", "sweep_l_min: 0.0")],
            "readiness.sweep_gas",
            Critical,
            &[],
        ),
        mistake(
            "0.2 L/min of sweep for 5.19 L/min",
            "bigva_ecmo",
            &[("sweep_l_min: 5.0", "sweep_l_min: 0.2")],
            "readiness.sweep_low",
            Warning,
            &["0.20 L/min", "5.19 L/min"],
        ),
        mistake(
            "0.5 L/min of sweep for 5.19 L/min",
            "bigva_ecmo",
            &[("sweep_l_min: 5.0", "sweep_l_min: 0.5")],
            "readiness.sweep_low",
            Warning,
            &["0.50 L/min", "5.19 L/min"],
        ),
        mistake(
            "the neonate's return line clamped",
            "cdh_ecmo",
            &[(
                r#"port: "large"), tubing: "tubing_1_4", length_m: 1.00"#,
                r#"port: "large"), tubing: "tubing_1_4", length_m: 1.00, clamped: true"#,
            )],
            "readiness.clamp_on_main_line",
            Critical,
            &[],
        ),
        mistake(
            "the arterial line clamped",
            "fontan_cpb",
            &[(
                r#"part: 13, port: "connector"), tubing: "tubing_3_8", length_m: 1.20"#,
                r#"part: 13, port: "connector"), tubing: "tubing_3_8", length_m: 1.20, clamped: true"#,
            )],
            "readiness.clamp_on_main_line",
            Critical,
            &[],
        ),
        mistake(
            "the IVC limb clamped",
            "fontan_cpb",
            &[(
                r#"part: 3, port: "b"), tubing: "tubing_3_8", length_m: 0.40"#,
                r#"part: 3, port: "b"), tubing: "tubing_3_8", length_m: 0.40, clamped: true"#,
            )],
            "readiness.clamp_on_main_line",
            Critical,
            &[],
        ),
        mistake(
            "the SVC limb clamped",
            "fontan_cpb",
            &[(
                r#"part: 3, port: "a"), tubing: "tubing_3_8", length_m: 0.40"#,
                r#"part: 3, port: "a"), tubing: "tubing_3_8", length_m: 0.40, clamped: true"#,
            )],
            "readiness.clamp_on_main_line",
            Critical,
            &["superior cava"],
        ),
        mistake(
            "the distal perfusion line clamped",
            "bigva_ecmo",
            &[("length_m: 0.60", "length_m: 0.60, clamped: true")],
            "readiness.clamp_on_main_line",
            Critical,
            &[],
        ),
        mistake(
            "the drainage line clamped",
            "bigva_ecmo",
            &[("length_m: 1.50", "length_m: 1.50, clamped: true")],
            "readiness.clamp_on_main_line",
            Critical,
            &[],
        ),
        mistake(
            "a 14 Fr return through a reversed reducer in 3.2 kg",
            "cdh_ecmo",
            &[
                (r#"part: "arterial_8_fr""#, r#"part: "arterial_14_fr""#),
                (
                    r#"to: (part: 8, port: "large"), tubing: "tubing_1_4""#,
                    r#"to: (part: 8, port: "small"), tubing: "tubing_1_4""#,
                ),
                (
                    r#"from: (part: 8, port: "small"), to: (part: 9, port: "connector"), tubing: "tubing_3_16""#,
                    r#"from: (part: 8, port: "large"), to: (part: 9, port: "connector"), tubing: "tubing_1_4""#,
                ),
            ],
            "sizing.cannula_too_large",
            Critical,
            &["0.42 L/min", "3.2 kg"],
        ),
        mistake(
            "an adult ECMO oxygenator for 0.42 L/min",
            "cdh_ecmo",
            &[(r#"part: "oxygenator_ecmo_paediatric""#, r#"part: "oxygenator_ecmo""#)],
            "sizing.device_too_large",
            Critical,
            &["0.42 L/min", "3.2 kg"],
        ),
        mistake(
            "an adult centrifugal head for 0.42 L/min",
            "cdh_ecmo",
            &[(r#"part: "centrifugal_pump_1_4""#, r#"part: "centrifugal_pump_3_8""#)],
            "sizing.device_too_large",
            Critical,
            &["0.42 L/min", "3.2 kg"],
        ),
    ]
};

#[test]
fn each_mistake_the_instructor_made_is_found_in_the_patients_numbers() {
    for mistake in MISTAKES {
        let findings = findings(mistake.scenario, mistake.replacements);
        let found = findings.iter().find(|f| f.rule == mistake.rule && f.severity == mistake.severity);
        let Some(found) = found else {
            panic!("{}: no {:?} {} finding in {findings:#?}", mistake.name, mistake.severity, mistake.rule);
        };
        let text = format!("{} {}", found.title, found.why);
        for words in mistake.says {
            assert!(text.contains(words), "{}: `{words}` not in {text}", mistake.name);
        }
    }
}
