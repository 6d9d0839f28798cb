//! Validation through data: each reference solution validates clean, and for every rule a small edit of a
//! reference circuit yields that rule, pointing at the right parts, with no unrelated critical finding.

use super::support::{catalog, scenario, solution};
use perfusion_trainer::circuit::{CanvasPos, Circuit, Controls, Edit, PlacedPart, PumpDirection, Tube};
use perfusion_trainer::ids::{CatalogId, PartId, PortRef, TubeId};
use perfusion_trainer::scenario::{KitAmount, RuleSetting, Scenario, bundled_ids};
use perfusion_trainer::validate::{Finding, RULES, Severity, validate};
use std::collections::BTreeSet;

#[test]
fn every_reference_solution_has_no_critical_and_no_warning_finding() {
    let catalog = catalog();
    for id in bundled_ids() {
        let findings = validate(&scenario(id), &solution(id), &catalog);
        let serious: Vec<&Finding> = findings.iter().filter(|f| f.severity != Severity::Advice).collect();
        assert!(serious.is_empty(), "{id}: {serious:#?}");
    }
}

#[test]
fn the_blood_primed_scenarios_are_advised_to_add_blood_with_the_numbers() {
    let catalog = catalog();
    for id in ["child_cpb", "neonate_arterial_switch"] {
        let findings = validate(&scenario(id), &solution(id), &catalog);
        let advice = findings.iter().find(|f| f.rule == "patient.haemodilution").expect("haemodilution advice");
        assert_eq!(advice.severity, Severity::Advice);
        assert!(advice.fix.contains("mL of blood"), "{}", advice.fix);
    }
}

fn connect(id: u32, from: (u32, &str), to: (u32, &str), tubing: &str, length_m: f64) -> Edit {
    Edit::Connect(Tube {
        id: TubeId(id),
        from: PortRef::new(PartId(from.0), from.1),
        to: PortRef::new(PartId(to.0), to.1),
        tubing: CatalogId::new(tubing),
        length_m,
        clamped: false,
    })
}

fn disconnect(tube: u32) -> Edit {
    Edit::Disconnect { tube: TubeId(tube) }
}

fn remove(part: u32) -> Edit {
    Edit::RemovePart { part: PartId(part) }
}

fn add(part: u32, catalog_id: &str) -> Edit {
    Edit::AddPart(PlacedPart::new(PartId(part), CatalogId::new(catalog_id), CanvasPos { x: 0.0, y: 900.0 }))
}

fn cap(part: u32, port: &str) -> Edit {
    Edit::SetCap { port: PortRef::new(PartId(part), port), capped: true }
}

fn unlink(part: u32) -> Edit {
    Edit::SetServo { part: PartId(part), to: None }
}

fn pump(rpm: f64, direction: PumpDirection, occlusion_set: bool) -> Controls {
    Controls::Pump { rpm, direction, occlusion_set }
}

struct Case {
    scenario: &'static str,
    /// Changes to the scenario (limits, kit), for rules about the scenario rather than the circuit.
    tweak: fn(&mut Scenario),
    edits: Vec<Edit>,
    rule: &'static str,
    /// Parts the finding must point at.
    parts: &'static [u32],
    /// Other critical rules that this edit rightly also triggers.
    also: &'static [&'static str],
}

fn none(_: &mut Scenario) {}

/// The scenario's patient made a 3.5 kg, 50 cm baby.
fn a_baby(s: &mut Scenario) {
    s.patient.weight_kg = 3.5;
    s.patient.height_cm = 50.0;
}

fn case(scenario: &'static str, edits: Vec<Edit>, rule: &'static str, parts: &'static [u32]) -> Case {
    Case { scenario, tweak: none, edits, rule, parts, also: &[] }
}

fn cases() -> Vec<Case> {
    vec![
        case("adult_cabg", vec![disconnect(19)], "topology.open_port", &[7]),
        case(
            "adult_cabg",
            vec![Edit::SetTubing { tube: TubeId(16), tubing: CatalogId::new("tubing_1_2") }],
            "topology.bore_mismatch",
            &[10],
        ),
        // The first sucker's pump head loaded backwards: both its lines join like to like.
        case(
            "adult_cabg",
            vec![
                disconnect(1),
                disconnect(2),
                connect(1, (18, "outlet"), (19, "outlet"), "tubing_1_4", 1.8),
                connect(2, (19, "inlet"), (2, "cardiotomy_1"), "tubing_1_4", 0.5),
            ],
            "topology.flow_conflict",
            &[18, 19],
        ),
        // The oxygenator connected back to front: blood meets its outlet.
        case(
            "adult_cabg",
            vec![
                disconnect(12),
                disconnect(13),
                connect(12, (5, "b"), (6, "arterial_outlet"), "tubing_3_8", 0.15),
                connect(13, (6, "venous_inlet"), (7, "a"), "tubing_3_8", 0.15),
            ],
            "order.no_main_line",
            &[1, 10],
        ),
        // The arterial filter left out.
        case(
            "adult_cabg",
            vec![remove(8), connect(30, (7, "b"), (9, "a"), "tubing_3_8", 0.2)],
            "order.missing_stage",
            &[7, 9],
        ),
        // Reservoir → oxygenator → pump: the bubble-oxygenator layout.
        case(
            "adult_cabg",
            vec![
                disconnect(9),
                disconnect(10),
                disconnect(12),
                disconnect(13),
                connect(9, (2, "outlet"), (6, "venous_inlet"), "tubing_1_2", 0.5),
                connect(10, (6, "arterial_outlet"), (3, "inlet"), "tubing_1_2", 0.3),
                connect(12, (3, "outlet"), (4, "large"), "tubing_1_2", 0.3),
                connect(13, (5, "b"), (7, "a"), "tubing_3_8", 0.15),
            ],
            "order.oxygenator_before_pump",
            &[6, 3],
        ),
        // The filter before the oxygenator.
        case(
            "adult_cabg",
            vec![
                disconnect(12),
                disconnect(14),
                disconnect(15),
                connect(12, (5, "b"), (8, "inlet"), "tubing_3_8", 0.15),
                connect(14, (8, "outlet"), (6, "venous_inlet"), "tubing_3_8", 0.15),
                connect(15, (7, "b"), (9, "a"), "tubing_3_8", 0.3),
            ],
            "order.filter_position",
            &[8, 6],
        ),
        // Venous cannula straight to the pump, the reservoir after it.
        case(
            "adult_cabg",
            vec![
                disconnect(8),
                disconnect(9),
                disconnect(10),
                connect(8, (1, "connector"), (3, "inlet"), "tubing_1_2", 1.8),
                connect(9, (3, "outlet"), (2, "venous_inlet"), "tubing_1_2", 0.5),
                connect(10, (2, "outlet"), (4, "large"), "tubing_1_2", 0.3),
            ],
            "order.reservoir_after_pump",
            &[2, 3],
        ),
        Case {
            scenario: "adult_va_ecmo",
            tweak: none,
            edits: vec![
                disconnect(2),
                add(20, "reservoir_soft_bag"),
                connect(2, (2, "b"), (20, "inlet"), "tubing_3_8", 0.3),
                connect(20, (20, "outlet"), (3, "inlet"), "tubing_3_8", 0.3),
            ],
            rule: "order.reservoir_in_ecmo",
            parts: &[20],
            also: &["kit.forbidden_present"],
        },
        case(
            "adult_cabg",
            vec![Edit::SetControls { part: PartId(3), controls: pump(0.0, PumpDirection::Reverse, true) }],
            "order.reversed_pump",
            &[3],
        ),
        case("adult_cabg", vec![unlink(9)], "safety.bubble_detector", &[9, 3]),
        case("adult_cabg", vec![unlink(11)], "safety.level_sensor", &[2, 3]),
        case("adult_cabg", vec![unlink(13)], "safety.pressure_servo", &[13, 3]),
        Case {
            scenario: "adult_va_ecmo",
            tweak: none,
            edits: vec![remove(5), connect(20, (4, "b"), (6, "venous_inlet"), "tubing_3_8", 0.3)],
            rule: "safety.flow_probe",
            parts: &[3],
            also: &["kit.required_missing"],
        },
        case(
            "adult_cabg",
            vec![remove(23), connect(30, (22, "outlet"), (24, "inlet"), "tubing_1_4", 1.5)],
            "safety.vent_valve",
            &[22, 24],
        ),
        case(
            "adult_cabg",
            vec![disconnect(2), cap(19, "outlet"), cap(2, "cardiotomy_1")],
            "safety.sucker_return",
            &[18],
        ),
        case(
            "adult_cabg",
            vec![disconnect(20), cap(6, "cardioplegia_outlet"), cap(15, "inlet")],
            "safety.cardioplegia_source",
            &[16],
        ),
        Case {
            scenario: "adult_va_ecmo",
            tweak: none,
            edits: vec![remove(10), cap(8, "luer")],
            rule: "safety.distal_perfusion",
            parts: &[9],
            also: &["kit.required_missing"],
        },
        case(
            "adult_cabg",
            vec![remove(10), add(10, "arterial_20_fr"), connect(16, (9, "b"), (10, "connector"), "tubing_3_8", 1.8)],
            "sizing.rated_flow",
            &[10],
        ),
        // The arterial line in 1/4" tubing, with reducers at both ends.
        case(
            "adult_cabg",
            vec![
                disconnect(16),
                add(40, "reducer_1_4_3_8"),
                add(41, "reducer_1_4_3_8"),
                connect(40, (9, "b"), (40, "large"), "tubing_3_8", 0.05),
                connect(41, (40, "small"), (41, "small"), "tubing_1_4", 1.8),
                connect(42, (41, "large"), (10, "connector"), "tubing_3_8", 0.05),
            ],
            "sizing.line_bore",
            &[40, 41],
        ),
        Case {
            scenario: "adult_cabg",
            tweak: |s| {
                s.rules.push(RuleSetting {
                    rule: "sizing.cannula_pressure_drop".into(),
                    enabled: true,
                    params: vec![("max_mmhg".into(), 5.0)],
                    severity: None,
                })
            },
            edits: vec![],
            rule: "sizing.cannula_pressure_drop",
            parts: &[10],
            also: &[],
        },
        // A scenario that asks for more sweep than the reference's 2 L/min: its own parameters, not the defaults.
        Case {
            scenario: "adult_cabg",
            tweak: |s| {
                s.rules.push(RuleSetting {
                    rule: "readiness.sweep_low".into(),
                    enabled: true,
                    params: vec![("min_gas_to_blood".into(), 1.0)],
                    severity: None,
                })
            },
            edits: vec![],
            rule: "readiness.sweep_low",
            parts: &[6],
            also: &[],
        },
        case(
            "adult_cabg",
            vec![Edit::SetClamp { tube: TubeId(16), clamped: true }],
            "readiness.clamp_on_main_line",
            &[9, 10],
        ),
        case(
            "adult_cabg",
            vec![Edit::SetClamp { tube: TubeId(17), clamped: false }],
            "readiness.recirculation_open",
            &[6],
        ),
        case(
            "adult_cabg",
            vec![Edit::SetControls { part: PartId(3), controls: pump(0.0, PumpDirection::Forward, false) }],
            "readiness.occlusion_unset",
            &[3],
        ),
        case(
            "adult_cabg",
            vec![Edit::SetControls { part: PartId(6), controls: Controls::Gas { sweep_l_min: 0.0, fio2: 0.6 } }],
            "readiness.sweep_gas",
            &[6],
        ),
        // One limb of the child's bicaval pair clamped (the SVC's): the main line runs through the other.
        case(
            "child_cpb",
            vec![Edit::SetClamp { tube: TubeId(1), clamped: true }],
            "readiness.clamp_on_main_line",
            &[1, 3],
        ),
        // The distal perfusion line clamped: the leg below the femoral cannula goes without.
        case(
            "adult_va_ecmo",
            vec![Edit::SetClamp { tube: TubeId(9), clamped: true }],
            "readiness.clamp_on_main_line",
            &[8, 10],
        ),
        // 0.5 L/min of gas for 4.73 L/min of blood: a gas:blood ratio of 0.1.
        case(
            "adult_cabg",
            vec![Edit::SetControls { part: PartId(6), controls: Controls::Gas { sweep_l_min: 0.5, fio2: 0.6 } }],
            "readiness.sweep_low",
            &[6],
        ),
        case("adult_cabg", vec![Edit::SetMount { part: PartId(12), on: None }], "readiness.heater_cooler", &[6]),
        // The filter purge run to the oxygenator's venous side with no clamp on it: a shunt past the patient.
        case(
            "adult_cabg",
            vec![
                Edit::SetCap { port: PortRef::new(PartId(8), "purge"), capped: false },
                Edit::SetCap { port: PortRef::new(PartId(6), "sampling_venous"), capped: false },
                connect(50, (8, "purge"), (6, "sampling_venous"), "tubing_luer", 0.5),
            ],
            "readiness.recirculation_open",
            &[8],
        ),
        // VA ECMO without the post-membrane transducer.
        Case {
            scenario: "adult_va_ecmo",
            tweak: none,
            edits: vec![disconnect(12), remove(14), cap(7, "luer")],
            rule: "safety.membrane_pressures",
            parts: &[6],
            also: &[],
        },
        // A 3.5 kg baby on VA ECMO drained through the smaller cannula.
        Case {
            scenario: "adult_va_ecmo",
            tweak: a_baby,
            edits: vec![
                remove(1),
                add(1, "venous_single_stage_12_fr"),
                add(30, "reducer_1_4_3_8"),
                connect(30, (1, "connector"), (30, "small"), "tubing_1_4", 0.3),
                connect(31, (30, "large"), (2, "a"), "tubing_3_8", 1.0),
            ],
            rule: "sizing.neonatal_cannulae",
            parts: &[1, 9],
            also: &[
                "kit.required_missing",
                "patient.haemodilution_critical",
                "sizing.cannula_too_large",
                "sizing.device_too_large",
            ],
        },
        Case {
            scenario: "adult_cabg",
            tweak: |s| s.targets.max_prime_ml = Some(1000.0),
            edits: vec![],
            rule: "patient.prime_limit",
            parts: &[6],
            also: &[],
        },
        case("child_cpb", vec![], "patient.haemodilution", &[]),
        // The reservoir left at heart level: no siphon.
        case(
            "adult_cabg",
            vec![Edit::SetHeight { part: PartId(2), height_cm: 0.0 }],
            "readiness.reservoir_height",
            &[2],
        ),
        // The adult circuit on a 3.5 kg baby: prime over the baby's whole blood volume.
        Case {
            scenario: "adult_cabg",
            tweak: a_baby,
            edits: vec![],
            rule: "patient.haemodilution_critical",
            parts: &[],
            also: &["sizing.cannula_too_large"],
        },
        // The adult circuit on a 28 kg child (a Fontan): the adult aortic cannula is rated for two and a half times
        // the child's flow, the 36/46 two-stage for more than three.
        Case {
            scenario: "adult_cabg",
            tweak: |s| {
                s.patient.weight_kg = 28.0;
                s.patient.height_cm = 130.0;
            },
            edits: vec![],
            rule: "sizing.cannula_too_large",
            parts: &[10],
            also: &[],
        },
        // The adult ECMO circuit on a 3.5 kg baby: the adult centrifugal head is rated from 2 L/min.
        Case {
            scenario: "adult_va_ecmo",
            tweak: a_baby,
            edits: vec![],
            rule: "sizing.device_too_large",
            parts: &[3],
            also: &["sizing.cannula_too_large", "patient.haemodilution_critical", "sizing.neonatal_cannulae"],
        },
        // The same baby: the adult two-stage venous cannula is made for adult flows.
        Case {
            scenario: "adult_cabg",
            tweak: a_baby,
            edits: vec![],
            rule: "sizing.cannula_too_large",
            parts: &[1],
            also: &["patient.haemodilution_critical"],
        },
        Case {
            scenario: "adult_cabg",
            tweak: |s| s.required.push(CatalogId::new("haemoconcentrator")),
            edits: vec![],
            rule: "kit.required_missing",
            parts: &[],
            also: &[],
        },
        Case {
            scenario: "adult_cabg",
            tweak: |s| s.forbidden.push(CatalogId::new("bubble_detector")),
            edits: vec![],
            rule: "kit.forbidden_present",
            parts: &[9],
            also: &[],
        },
        Case {
            scenario: "adult_cabg",
            tweak: |s| {
                for (id, amount) in &mut s.kit {
                    if id.as_str() == "roller_pump_1_4" {
                        *amount = KitAmount::Count(2);
                    }
                }
            },
            edits: vec![],
            rule: "kit.over_shelf",
            parts: &[15, 19],
            also: &[],
        },
    ]
}

fn run(case: &Case) -> Vec<Finding> {
    let catalog = catalog();
    let mut scenario = scenario(case.scenario);
    (case.tweak)(&mut scenario);
    let mut circuit: Circuit = solution(case.scenario);
    for edit in &case.edits {
        circuit.apply(&catalog, edit.clone()).unwrap_or_else(|e| panic!("{}: {edit:?}: {e}", case.rule));
    }
    validate(&scenario, &circuit, &catalog)
}

#[test]
fn each_rule_fires_on_a_small_break_of_a_reference_circuit() {
    let mut covered = BTreeSet::new();
    for case in cases() {
        let findings = run(&case);
        let hit = findings
            .iter()
            .find(|f| f.rule == case.rule && case.parts.iter().all(|p| f.parts.contains(&PartId(*p))))
            .unwrap_or_else(|| panic!("{}: no finding pointing at {:?} in {findings:#?}", case.rule, case.parts));
        assert!(!hit.why.is_empty() && !hit.fix.is_empty() && !hit.title.is_empty());
        let unrelated: Vec<&Finding> = findings
            .iter()
            .filter(|f| f.severity == Severity::Critical && f.rule != case.rule && !case.also.contains(&f.rule))
            .collect();
        assert!(unrelated.is_empty(), "{}: unrelated critical findings {unrelated:#?}", case.rule);
        covered.insert(case.rule);
    }
    let all: BTreeSet<&str> = RULES.iter().map(|r| r.id).collect();
    let missing: Vec<&&str> = all.difference(&covered).collect();
    assert!(missing.is_empty(), "rules without a test case: {missing:?}");
}

#[test]
fn findings_carry_the_severity_the_rule_list_gives() {
    for case in cases() {
        let info = RULES.iter().find(|r| r.id == case.rule).unwrap();
        let findings = run(&case);
        for finding in findings.iter().filter(|f| f.rule == case.rule) {
            assert_eq!(finding.severity, info.severity, "{}", case.rule);
        }
    }
}

#[test]
fn a_scenario_can_switch_a_rule_off() {
    let catalog = catalog();
    let mut scenario = scenario("child_cpb");
    scenario.rules.push(RuleSetting {
        rule: "patient.haemodilution".into(),
        enabled: false,
        params: vec![],
        severity: None,
    });
    let findings = validate(&scenario, &solution("child_cpb"), &catalog);
    assert!(findings.iter().all(|f| f.rule != "patient.haemodilution"));
}

#[test]
fn sizing_findings_speak_in_this_patients_numbers() {
    let case = cases().into_iter().find(|c| c.rule == "sizing.rated_flow").unwrap();
    let finding = run(&case).into_iter().find(|f| f.rule == "sizing.rated_flow").unwrap();
    let flow = format!("{:.2} L/min", scenario("adult_cabg").derived().target_flow_l_min);
    assert!(finding.why.contains(&flow), "{}", finding.why);
}

#[test]
fn an_empty_circuit_and_nonsense_never_panic() {
    let catalog = catalog();
    for id in bundled_ids() {
        let findings = validate(&scenario(id), &Circuit::new(), &catalog);
        assert!(findings.iter().any(|f| f.severity == Severity::Critical), "{id}: an empty circuit is not ready");
        assert_eq!(validate(&scenario(id), &Circuit::new(), &catalog), findings, "deterministic");
    }
}

#[test]
fn every_rule_is_documented() {
    let doc = std::fs::read_to_string(super::support::repo_path("docs/validation-rules.md")).unwrap();
    for rule in RULES {
        assert!(doc.contains(&format!("`{}`", rule.id)), "{} missing from docs/validation-rules.md", rule.id);
    }
}

#[test]
fn a_pump_head_loaded_backwards_is_found_as_reversed() {
    // The arterial pump's tubing swapped between its ports, rotation forward.
    let catalog = catalog();
    let mut circuit = solution("adult_cabg");
    for edit in [
        disconnect(9),
        disconnect(10),
        connect(9, (2, "outlet"), (3, "outlet"), "tubing_1_2", 0.8),
        connect(10, (3, "inlet"), (4, "large"), "tubing_1_2", 0.3),
    ] {
        circuit.apply(&catalog, edit).unwrap();
    }
    let findings = validate(&scenario("adult_cabg"), &circuit, &catalog);
    let reversed = findings.iter().find(|f| f.rule == "order.reversed_pump").expect("reversed pump found");
    assert_eq!(reversed.parts, vec![PartId(3)]);
}

#[test]
fn a_large_meshed_circuit_is_validated_without_blowing_up() {
    // A ladder of 190 Y connectors (near the 200-part limit) between the cannulae of an otherwise empty circuit: many routes, none directed
    // to the patient. Validation must stay linear (no path enumeration), so this finishes at once.
    let catalog = catalog();
    let mut circuit = Circuit::new();
    let mut tube = 0;
    let mut next_tube = |circuit: &mut Circuit, from: (u32, &str), to: (u32, &str)| {
        tube += 1;
        circuit.apply(&catalog, connect(tube, from, to, "tubing_3_8", 0.1)).unwrap();
    };
    circuit.apply(&catalog, add(1, "venous_two_stage_29_37")).unwrap();
    circuit.apply(&catalog, add(2, "arterial_24_fr")).unwrap();
    for i in 0..190 {
        circuit.apply(&catalog, add(10 + i, "y_connector_3_8")).unwrap();
    }
    next_tube(&mut circuit, (1, "connector"), (10, "a"));
    for i in 0..189 {
        next_tube(&mut circuit, (10 + i, "b"), (11 + i, "a"));
        if i % 2 == 0 {
            next_tube(&mut circuit, (10 + i, "c"), (11 + i, "c"));
        }
    }
    next_tube(&mut circuit, (199, "b"), (2, "connector"));
    let findings = validate(&scenario("adult_cabg"), &circuit, &catalog);
    assert!(findings.iter().any(|f| f.rule == "order.missing_stage"));
}

/// Findings a perfusionist would dispute are not raised: a neonate's sweep of 0.4 L/min at 0.43 L/min of blood, a
/// post-membrane transducer on the oxygenator's own sampling port, a spare inlet on a vented hard-shell reservoir.
#[test]
fn no_false_findings_on_small_patients_sampling_ports_and_vented_reservoirs() {
    let catalog = catalog();
    let mut neonate = solution("neonate_arterial_switch");
    let gas = Controls::Gas { sweep_l_min: 0.4, fio2: 0.5 };
    neonate.apply(&catalog, Edit::SetControls { part: PartId(6), controls: gas }).unwrap();
    let findings = validate(&scenario("neonate_arterial_switch"), &neonate, &catalog);
    assert!(findings.iter().all(|f| !f.rule.starts_with("readiness.sweep")), "{findings:#?}");

    let mut adult = solution("adult_cabg");
    for edit in [
        disconnect(19),
        Edit::SetCap { port: PortRef::new(PartId(6), "sampling_arterial"), capped: false },
        connect(19, (6, "sampling_arterial"), (14, "line"), "tubing_luer", 1.0),
        Edit::SetCap { port: PortRef::new(PartId(7), "luer"), capped: true },
        // The second sucker's line off the reservoir: its cardiotomy inlet stays open on the lid.
        disconnect(4),
    ] {
        adult.apply(&catalog, edit.clone()).unwrap_or_else(|e| panic!("{edit:?}: {e}"));
    }
    let findings = validate(&scenario("adult_cabg"), &adult, &catalog);
    assert!(findings.iter().all(|f| f.rule != "safety.membrane_pressures"), "{findings:#?}");
    let reservoir_ports: Vec<&Finding> =
        findings.iter().filter(|f| f.rule == "topology.open_port" && f.parts.contains(&PartId(2))).collect();
    assert!(reservoir_ports.is_empty(), "{reservoir_ports:#?}");
}

/// A scenario gives a rule its own severity: haemodilution critical for a blood-prime lesson.
#[test]
fn a_scenario_can_set_a_rules_severity() {
    let catalog = catalog();
    let mut scenario = scenario("child_cpb");
    scenario.rules.push(RuleSetting {
        rule: "patient.haemodilution".into(),
        enabled: true,
        params: vec![],
        severity: Some(Severity::Critical),
    });
    let findings = validate(&scenario, &solution("child_cpb"), &catalog);
    let finding = findings.iter().find(|f| f.rule == "patient.haemodilution").expect("haemodilution");
    assert_eq!(finding.severity, Severity::Critical);
}

/// A clamped arterio-venous bridge is a bridge, not the main line: the circuit through the pump and the oxygenator
/// is, and it validates as it did without the bridge.
#[test]
fn a_clamped_bridge_is_not_taken_for_the_main_line() {
    let catalog = catalog();
    let mut circuit = solution("adult_va_ecmo");
    for edit in [
        disconnect(1),
        add(40, "y_connector_3_8"),
        connect(1, (1, "connector"), (40, "a"), "tubing_3_8", 1.2),
        connect(40, (40, "b"), (2, "a"), "tubing_3_8", 0.3),
        disconnect(7),
        add(41, "y_connector_3_8"),
        connect(7, (7, "b"), (41, "a"), "tubing_3_8", 0.9),
        connect(41, (41, "b"), (8, "a"), "tubing_3_8", 0.3),
        connect(42, (41, "c"), (40, "c"), "tubing_3_8", 0.3),
        Edit::SetClamp { tube: TubeId(42), clamped: true },
    ] {
        circuit.apply(&catalog, edit.clone()).unwrap_or_else(|e| panic!("{edit:?}: {e}"));
    }
    let findings = validate(&scenario("adult_va_ecmo"), &circuit, &catalog);
    let critical: Vec<&Finding> = findings.iter().filter(|f| f.severity == Severity::Critical).collect();
    assert!(critical.is_empty(), "{critical:#?}");
}

/// Every rule parameter is in docs/validation-rules.md with its unit, default and meaning, as the program has it.
#[test]
fn every_rule_parameter_is_documented_with_its_default() {
    let doc = std::fs::read_to_string(super::support::repo_path("docs/validation-rules.md")).unwrap();
    for param in perfusion_trainer::rules::RULE_PARAMS {
        let default = match param.default {
            perfusion_trainer::rules::ParamDefault::Fixed(value) => format!("{value}"),
            perfusion_trainer::rules::ParamDefault::Target(field, _) => format!("the scenario's `targets.{field}`"),
        };
        let row = format!(
            "| `{}` | `{}` | {} | {} – {} | {} | {} |",
            param.rule, param.name, param.unit, param.min, param.max, default, param.meaning
        );
        assert!(doc.contains(&row), "docs/validation-rules.md lacks or differs from:\n{row}");
    }
}

/// No sweep gas at all is critical on ECMO (the patient depends on the membrane from the first second) and a
/// warning on CPB; a little sweep for much blood is its own warning, with the ratio and the sweep to set.
#[test]
fn no_sweep_is_critical_on_ecmo_and_too_little_is_a_warning_with_the_ratio() {
    let catalog = catalog();
    let sweep_of = |id: &str, sweep_l_min: f64| {
        let mut circuit = solution(id);
        let gas = Controls::Gas { sweep_l_min, fio2: 0.6 };
        circuit.apply(&catalog, Edit::SetControls { part: PartId(6), controls: gas }).unwrap();
        validate(&scenario(id), &circuit, &catalog)
            .into_iter()
            .filter(|f| f.rule.starts_with("readiness.sweep"))
            .collect::<Vec<_>>()
    };
    let off = sweep_of("adult_va_ecmo", 0.0);
    assert_eq!((off[0].rule, off[0].severity), ("readiness.sweep_gas", Severity::Critical), "{off:#?}");
    let off = sweep_of("adult_cabg", 0.0);
    assert_eq!((off[0].rule, off[0].severity), ("readiness.sweep_gas", Severity::Warning), "{off:#?}");
    let low = sweep_of("adult_va_ecmo", 0.5);
    assert_eq!(low[0].rule, "readiness.sweep_low", "{low:#?}");
    assert!(low[0].why.contains("0.1") && low[0].fix.contains("L/min"), "{low:#?}");
}

/// The reservoir-height finding says where the reservoir is in words a perfusionist uses (never "-0 cm below" or
/// "-20 cm below") and the siphon it gives, recomputed for a scenario's own least drop.
#[test]
fn the_reservoir_height_finding_says_where_the_reservoir_is() {
    let catalog = catalog();
    let finding = |height_cm: f64, tweak: fn(&mut Scenario)| {
        let mut circuit = solution("adult_cabg");
        circuit.apply(&catalog, Edit::SetHeight { part: PartId(2), height_cm }).unwrap();
        let mut scenario = scenario("adult_cabg");
        tweak(&mut scenario);
        let findings = validate(&scenario, &circuit, &catalog);
        let found = findings.into_iter().find(|f| f.rule == "readiness.reservoir_height").expect("the finding");
        format!("{} {}", found.title, found.why)
    };
    let level = finding(0.0, none);
    assert!(level.contains("is at heart level") && level.contains("gives none"), "{level}");
    let above = finding(20.0, none);
    assert!(above.contains("is 20 cm above the heart") && !above.contains("-20"), "{above}");
    let short = finding(-35.0, none);
    assert!(short.contains("only 35 cm below the heart") && short.contains("gives 27 mmHg"), "{short}");
    let tuned = finding(-25.0, |s| {
        s.rules.push(RuleSetting {
            rule: "readiness.reservoir_height".into(),
            enabled: true,
            params: vec![("min_drop_cm".into(), 30.0)],
            severity: None,
        })
    });
    assert!(tuned.contains("30–70 cm gives 23–54 mmHg"), "{tuned}");
}

/// When a transducer already measures the arterial line and only its link is missing, the fix says to link that
/// transducer (by its name), not to add one.
#[test]
fn an_unlinked_transducer_is_named_in_the_fix() {
    let catalog = catalog();
    let mut circuit = solution("adult_cabg");
    circuit.apply(&catalog, unlink(13)).unwrap();
    circuit.apply(&catalog, Edit::SetLabel { part: PartId(13), label: Some("P-inlet".into()) }).unwrap();
    let findings = validate(&scenario("adult_cabg"), &circuit, &catalog);
    let finding = findings.iter().find(|f| f.rule == "safety.pressure_servo").expect("the servo finding");
    assert_eq!(finding.fix, "Link P-inlet to Roller pump 1 (Stops pump, in the inspector).");
}
