//! The physical envelope holds for whatever is built and whatever goes wrong: random changes to the reference
//! circuits (sensible and nonsense), random timed commands during the run and every fault kind, checked at every
//! step: no pressure below vacuum, no reservoir below empty or above full, no patient compartment below empty,
//! saturations and air shares in [0, 1], nothing that is not a number, and fluid conserved.

use super::support::{catalog, scenario, solution};
use perfusion_trainer::catalog::PartKind;
use perfusion_trainer::circuit::flow::{Rotation, main_line};
use perfusion_trainer::circuit::{Circuit, Controls, Edit, PumpDirection};
use perfusion_trainer::ids::{PartId, TubeId};
use perfusion_trainer::scenario::{Fault, FaultKind, LineRole, Scenario};
use perfusion_trainer::sim::{NodeKind, Simulation};
use proptest::prelude::*;

/// A change made from random numbers, resolved against the circuit as it stands.
#[derive(Debug, Clone)]
enum Change {
    Speed(usize, f64, bool),
    Clamp(usize),
    Unclamp(usize),
    Height(usize, f64),
    Water(f64),
    Gas(f64, f64),
}

fn change() -> impl Strategy<Value = Change> {
    prop_oneof![
        4 => (any::<usize>(), 0.0..250.0f64, any::<bool>()).prop_map(|(p, rpm, back)| Change::Speed(p, rpm, back)),
        2 => any::<usize>().prop_map(Change::Clamp),
        1 => any::<usize>().prop_map(Change::Unclamp),
        1 => (any::<usize>(), -150.0..150.0f64).prop_map(|(p, h)| Change::Height(p, h)),
        1 => (4.0..42.0f64).prop_map(Change::Water),
        1 => (0.0..10.0f64, 0.21..1.0f64).prop_map(|(s, f)| Change::Gas(s, f)),
    ]
}

fn fault() -> impl Strategy<Value = FaultKind> {
    let line = prop_oneof![Just(LineRole::Venous), Just(LineRole::Arterial)];
    prop_oneof![
        (0.0..1.0f64, 1.0..5.0f64)
            .prop_map(|(t, r)| FaultKind::OxygenatorFailure { transfer_fraction: t, resistance_factor: r }),
        (0.0..60.0f64).prop_map(|d| FaultKind::PumpPowerLoss { duration_s: d }),
        (line.clone(), 1.0..2000.0f64).prop_map(|(line, ml)| FaultKind::AirEntry { line, ml_per_min: ml }),
        (line, 0.0..1.0f64).prop_map(|(line, f)| FaultKind::LineKink { line, open_fraction: f }),
        Just(FaultKind::VenousDisconnection),
        (0.3..4.0f64).prop_map(|f| FaultKind::HighSvr { factor: f }),
    ]
}

fn pick<T: Copy>(items: &[T], index: usize) -> Option<T> {
    (!items.is_empty()).then(|| items[index % items.len()])
}

fn to_edit(change: &Change, circuit: &Circuit) -> Option<Edit> {
    let pumps: Vec<PartId> =
        circuit.parts().filter(|p| matches!(p.controls, Controls::Pump { .. })).map(|p| p.id).collect();
    let parts: Vec<PartId> = circuit.parts().map(|p| p.id).collect();
    let tubes: Vec<TubeId> = circuit.tubes().map(|t| t.id).collect();
    let with = |kind: fn(&Controls) -> bool| circuit.parts().find(|p| kind(&p.controls)).map(|p| p.id);
    Some(match change {
        Change::Speed(p, rpm, back) => Edit::SetControls {
            part: pick(&pumps, *p)?,
            controls: Controls::Pump {
                rpm: *rpm,
                direction: if *back { PumpDirection::Reverse } else { PumpDirection::Forward },
                occlusion_set: true,
            },
        },
        Change::Clamp(t) => Edit::SetClamp { tube: pick(&tubes, *t)?, clamped: true },
        Change::Unclamp(t) => Edit::SetClamp { tube: pick(&tubes, *t)?, clamped: false },
        Change::Height(p, h) => Edit::SetHeight { part: pick(&parts, *p)?, height_cm: *h },
        Change::Water(t) => Edit::SetControls {
            part: with(|c| matches!(c, Controls::Water { .. }))?,
            controls: Controls::Water { temp_c: *t },
        },
        Change::Gas(s, f) => Edit::SetControls {
            part: with(|c| matches!(c, Controls::Gas { .. }))?,
            controls: Controls::Gas { sweep_l_min: *s, fio2: *f },
        },
    })
}

/// What must hold after every step; the first breach, in words.
fn breach(simulation: &Simulation, start_ml: f64) -> Option<String> {
    let network = simulation.network();
    for (k, node) in network.nodes.iter().enumerate().skip(1) {
        let p = simulation.node_pressure_mmhg(k);
        if !p.is_finite() || p < -760.0 {
            return Some(format!("node {k} ({:?}) at {p} mmHg", node.kind));
        }
        let v = simulation.node_volume_ml(k);
        match node.kind {
            NodeKind::Reservoir { capacity_m3, .. } if !(-1.0..=capacity_m3 * 1e6 + 1.0).contains(&v) => {
                return Some(format!("reservoir node {k} holds {v} mL"));
            }
            NodeKind::PatientArterial | NodeKind::PatientVenous if node.volume_ml + v < 0.0 => {
                return Some(format!("patient node {k} holds {} mL", node.volume_ml + v));
            }
            _ => {}
        }
        if let Some(blood) = simulation.node_blood(k) {
            let shares = [blood.sat, blood.air];
            if shares.iter().any(|s| !(0.0..=1.0).contains(s)) || !blood.hb_g_dl.is_finite() || blood.hb_g_dl < 0.0 {
                return Some(format!("node {k} blood {blood:?}"));
            }
            if !blood.pco2_mmhg.is_finite()
                || blood.pco2_mmhg < 0.0
                || !blood.po2_mmhg.is_finite()
                || blood.po2_mmhg < 0.0
            {
                return Some(format!("node {k} gas tensions {blood:?}"));
            }
        }
    }
    // Metabolism: consumption never negative, the debt only grows, lactate stays a concentration.
    let (vo2, debt, lactate) = (simulation.vo2_ml_min(), simulation.oxygen_debt_ml(), simulation.lactate_mmol_l());
    if !(vo2.is_finite() && vo2 >= 0.0 && debt.is_finite() && debt >= 0.0 && lactate.is_finite() && lactate > 0.0) {
        return Some(format!("VO2 {vo2} mL/min, oxygen debt {debt} mL, lactate {lactate} mmol/L"));
    }
    let accounted = simulation.accounted_volume_ml();
    if (accounted - start_ml).abs() > 1e-3 * start_ml.abs().max(1.0) + 0.5 {
        return Some(format!("fluid {start_ml} mL → {accounted} mL"));
    }
    None
}

fn envelope_holds(
    id: &str,
    before: &[Change],
    during: &[(u32, Change)],
    faults: &[(f64, FaultKind)],
) -> Result<(), TestCaseError> {
    let catalog = catalog();
    let mut scenario: Scenario = scenario(id);
    scenario.faults = faults.iter().map(|(at_s, kind)| Fault::new(*at_s, kind.clone())).collect();
    let mut circuit = solution(id);
    for change in before {
        if let Some(edit) = to_edit(change, &circuit) {
            let _ = circuit.apply(&catalog, edit);
        }
    }
    let mut simulation = Simulation::new(&scenario, &circuit, &catalog);
    let start_ml = simulation.accounted_volume_ml();
    // Bypass begins (the faults count from it): the main line's pump at a working speed, unless a change above
    // took the pump away.
    let pump = main_line(&circuit, &catalog, Rotation::AsBuilt).and_then(|route| {
        route.parts.into_iter().find(|p| {
            matches!(
                circuit.kind_of(&catalog, *p),
                Some(PartKind::RollerPump { .. } | PartKind::CentrifugalPump { .. })
            )
        })
    });
    if let Some(pump) = pump {
        let rpm = if matches!(circuit.kind_of(&catalog, pump), Some(PartKind::CentrifugalPump { .. })) {
            2500.0
        } else {
            80.0
        };
        let go_on = Edit::SetControls {
            part: pump,
            controls: Controls::Pump { rpm, direction: PumpDirection::Forward, occlusion_set: true },
        };
        if circuit.apply(&catalog, go_on.clone()).is_ok() {
            simulation
                .take_edit(&go_on, &scenario, &circuit, &catalog)
                .map_err(|e| TestCaseError::fail(e.to_string()))?;
        }
    }
    let mut during = during.to_vec();
    during.sort_by_key(|(at, _)| *at);
    let mut next = 0;
    for step in 0..3000u32 {
        while let Some((_, change)) = during.get(next).filter(|(at, _)| *at * 100 <= step) {
            if let Some(edit) = to_edit(change, &circuit)
                && circuit.apply(&catalog, edit.clone()).is_ok()
            {
                simulation
                    .take_edit(&edit, &scenario, &circuit, &catalog)
                    .map_err(|e| TestCaseError::fail(e.to_string()))?;
            }
            next += 1;
        }
        simulation.step().map_err(|e| TestCaseError::fail(format!("{id}: step {step}: {e}")))?;
        if let Some(what) = breach(&simulation, start_ml) {
            return Err(TestCaseError::fail(format!("{id}: step {step}: {what}")));
        }
    }
    Ok(())
}

/// A case: which bundled scenario, changes before the run, changes during it (second, change), faults (s, kind).
type Case = (usize, Vec<Change>, Vec<(u32, Change)>, Vec<(f64, FaultKind)>);

fn case() -> impl Strategy<Value = Case> {
    (
        0usize..6,
        proptest::collection::vec(change(), 0..4),
        proptest::collection::vec((0u32..30, change()), 0..8),
        proptest::collection::vec((0.0..20.0f64, fault()), 0..3),
    )
}

/// Deterministic (a fixed seed), so a red run is the same red run everywhere.
#[test]
fn the_envelope_holds_for_random_circuits_commands_and_faults() {
    use proptest::test_runner::{RngAlgorithm, TestRng, TestRunner};
    let config = ProptestConfig { cases: 128, failure_persistence: None, ..ProptestConfig::default() };
    let mut runner = TestRunner::new_with_rng(config, TestRng::deterministic_rng(RngAlgorithm::ChaCha));
    let result = runner.run(&case(), |(which, before, during, faults)| {
        let id = perfusion_trainer::scenario::bundled_ids().nth(which).unwrap_or("adult_cabg");
        envelope_holds(id, &before, &during, &faults)
    });
    if let Err(error) = result {
        panic!("{error}");
    }
}

/// Every bundled scenario with its own faults, the pump left running, stopped or reversed after two minutes of
/// bypass, for the whole hour: physical numbers every second of it.
#[test]
fn every_bundled_scenario_stays_physical_for_an_hour_whatever_the_pump_does() {
    #[derive(Debug, Clone, Copy)]
    enum Pump {
        Running,
        Stopped,
        Reversed,
    }
    let catalog = catalog();
    let cases: Vec<(&str, Pump)> = perfusion_trainer::scenario::bundled_ids()
        .flat_map(|id| [Pump::Running, Pump::Stopped, Pump::Reversed].map(|mode| (id, mode)))
        .collect();
    let failures: Vec<String> = std::thread::scope(|scope| {
        let handles: Vec<_> = cases
            .chunks(cases.len().div_ceil(2))
            .map(|chunk| {
                let catalog = &catalog;
                scope.spawn(move || {
                    let mut failures = Vec::new();
                    for (id, mode) in chunk {
                        let scenario = scenario(id);
                        let mut circuit = solution(id);
                        let route = main_line(&circuit, catalog, Rotation::AsBuilt).expect("a main line");
                        let pump = route
                            .parts
                            .into_iter()
                            .find(|p| {
                                matches!(
                                    circuit.kind_of(catalog, *p),
                                    Some(PartKind::RollerPump { .. } | PartKind::CentrifugalPump { .. })
                                )
                            })
                            .expect("a pump");
                        let centrifugal =
                            matches!(circuit.kind_of(catalog, pump), Some(PartKind::CentrifugalPump { .. }));
                        let rpm = if centrifugal { 3000.0 } else { 80.0 };
                        let set = |rpm: f64, direction| Edit::SetControls {
                            part: pump,
                            controls: Controls::Pump { rpm, direction, occlusion_set: !centrifugal },
                        };
                        let mut simulation = Simulation::new(&scenario, &circuit, catalog);
                        let start_ml = simulation.accounted_volume_ml();
                        let mut edits = vec![(0u32, set(rpm, PumpDirection::Forward))];
                        match mode {
                            Pump::Running => {}
                            Pump::Stopped => edits.push((120, set(0.0, PumpDirection::Forward))),
                            Pump::Reversed => edits.push((120, set(rpm, PumpDirection::Reverse))),
                        }
                        for second in 0..3600u32 {
                            for (_, edit) in edits.iter().filter(|(at, _)| *at == second) {
                                circuit.apply(catalog, edit.clone()).unwrap();
                                simulation.take_edit(edit, &scenario, &circuit, catalog).unwrap();
                            }
                            for _ in 0..100 {
                                if let Err(error) = simulation.step() {
                                    failures.push(format!("{id} {mode:?} at {second} s: {error}"));
                                    break;
                                }
                            }
                            if let Some(what) = breach(&simulation, start_ml) {
                                failures.push(format!("{id} {mode:?} at {second} s: {what}"));
                                break;
                            }
                        }
                    }
                    failures
                })
            })
            .collect();
        handles.into_iter().flat_map(|h| h.join().unwrap()).collect()
    });
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
