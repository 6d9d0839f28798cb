//! A realistic attempt at the adult CABG scenario, shared by the attempt tests and the grading benchmark: the
//! reference circuit built edit by edit, validated, run for five minutes of the real simulation (trends sampled
//! every 10 s with their alarms), an alarm answered, stopped.

use perfusion_trainer::attempt::{Attempt, CircuitCopy, Event, FindingRecord, ScenarioCopy, TrendRow, score};
use perfusion_trainer::catalog::Catalog;
use perfusion_trainer::circuit::{Circuit, Controls, Edit, PumpDirection, file};
use perfusion_trainer::ids::PartId;
use perfusion_trainer::input::Source;
use perfusion_trainer::scenario::Scenario;
use perfusion_trainer::sim::{Simulation, TrendColumns};

pub const SCENARIO_TEXT: &str = include_str!("../../scenarios/adult_cabg.ron");
const SOLUTION_TEXT: &str = include_str!("../../scenarios/solutions/adult_cabg.ron");

pub fn adult_attempt(trainee: &str, catalog: &Catalog) -> Attempt {
    let copy = ScenarioCopy::new("adult_cabg", SCENARIO_TEXT);
    let scenario =
        Scenario::from_source(&Source::new("adult_cabg.ron", SCENARIO_TEXT), "adult_cabg", catalog).expect("bundled");
    let solution =
        file::from_source(&Source::new("adult_cabg.ron", SOLUTION_TEXT), catalog).expect("bundled solution").circuit;
    let mut attempt = Attempt::new(trainee, "2026-11-24 09:00", copy);
    let mut circuit = Circuit::new();
    let mut at_s = 0.0;
    let apply = |attempt: &mut Attempt, circuit: &mut Circuit, at_s: f64, edit: Edit| {
        circuit.apply(catalog, edit.clone()).expect("the reference circuit builds");
        attempt.record(at_s, None, Event::Edit(edit));
    };
    // Parts every 20 s, tubes every 15 s, links every 5 s.
    for edit in solution.rebuild_edits() {
        at_s += match edit {
            Edit::AddPart(_) => 20.0,
            Edit::Connect(_) => 15.0,
            _ => 5.0,
        };
        apply(&mut attempt, &mut circuit, at_s, edit);
    }
    at_s += 30.0;
    attempt.record(at_s, None, Event::Validated { critical: 0, warning: 0, advice: 0 });
    at_s += 30.0;
    attempt.record(at_s, Some(0.0), Event::RunStarted);
    let pump = Controls::Pump { rpm: 105.0, direction: PumpDirection::Forward, occlusion_set: true };
    let go_on = Edit::SetControls { part: PartId(3), controls: pump };
    apply(&mut attempt, &mut circuit, at_s + 1.0, go_on.clone());
    let mut simulation = Simulation::new(&scenario, &circuit, catalog);
    simulation.take_edit(&go_on, &scenario, &circuit, catalog).expect("a setting");
    let columns = TrendColumns::new(&simulation, &circuit, catalog);
    attempt.trends.columns = columns.columns().map(|c| format!("{} ({})", c.name, c.unit)).collect();
    // Every alarm is acknowledged 4 s after it sounds (the log stays in time order).
    let mut sounding: Vec<String> = Vec::new();
    let mut to_acknowledge: Vec<(String, f64)> = Vec::new();
    for second in 0..300u32 {
        for _ in 0..100 {
            simulation.step().expect("the reference circuit converges");
        }
        let alarms: Vec<String> = simulation.alarms().iter().map(|a| a.label().to_owned()).collect();
        let model_s = f64::from(second + 1);
        for (alarm, due) in to_acknowledge.iter().filter(|(_, due)| *due <= model_s) {
            attempt.record(at_s + due, Some(*due), Event::AlarmAcknowledged { alarm: alarm.clone() });
        }
        to_acknowledge.retain(|(_, due)| *due > model_s);
        for alarm in alarms.iter().filter(|a| !sounding.contains(a)) {
            attempt.record(at_s + model_s, Some(model_s), Event::AlarmRaised { alarm: alarm.clone() });
            to_acknowledge.push((alarm.clone(), model_s + 4.0));
        }
        sounding = alarms.clone();
        if second % 10 == 9 {
            attempt.trends.rows.push(TrendRow { values: columns.sample(&simulation), alarms });
        }
    }
    attempt.record(at_s + 310.0, Some(300.0), Event::RunStopped);
    attempt.circuit = CircuitCopy::from(&circuit);
    attempt.findings =
        perfusion_trainer::validate::validate(&scenario, &circuit, catalog).iter().map(FindingRecord::from).collect();
    attempt.score = Some(score(&attempt, &scenario, catalog));
    attempt
}
