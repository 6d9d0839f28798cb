//! A realistic attempt at the adult CABG scenario, shared by the attempt tests and the grading benchmark: the
//! reference circuit built edit by edit through a session, validated, run for five minutes of the real simulation
//! with every alarm acknowledged 4 s after it sounds, stopped. The session records it as the app would.

use perfusion_trainer::attempt::Attempt;
use perfusion_trainer::catalog::Catalog;
use perfusion_trainer::circuit::{Controls, Edit, PumpDirection, file};
use perfusion_trainer::ids::PartId;
use perfusion_trainer::input::Source;
use perfusion_trainer::scenario::Scenario;
use perfusion_trainer::session::{Action, Session};
use perfusion_trainer::sim::Alarm;
use std::collections::BTreeMap;

pub const SCENARIO_TEXT: &str = include_str!("../../scenarios/adult_cabg.ron");
const SOLUTION_TEXT: &str = include_str!("../../scenarios/solutions/adult_cabg.ron");

/// The session after the attempt, with its run stopped.
pub fn adult_session(trainee: &str, catalog: &Catalog) -> Session {
    let scenario =
        Scenario::from_source(&Source::new("adult_cabg.ron", SCENARIO_TEXT), "adult_cabg", catalog).expect("bundled");
    let solution =
        file::from_source(&Source::new("adult_cabg.ron", SOLUTION_TEXT), catalog).expect("bundled solution").circuit;
    let mut session = Session::new(scenario, catalog.clone(), trainee, "2026-11-24 09:00");
    let mut at_s = 0.0;
    let act = |session: &mut Session, at_s: f64, action: Action| {
        session.set_clock(at_s);
        session.apply(action).expect("the reference attempt's actions are accepted");
    };
    // Parts every 20 s, tubes every 15 s, links every 5 s.
    for edit in solution.rebuild_edits() {
        at_s += match edit {
            Edit::AddPart(_) => 20.0,
            Edit::Connect(_) => 15.0,
            _ => 5.0,
        };
        act(&mut session, at_s, Action::Edit(edit));
    }
    at_s += 30.0;
    act(&mut session, at_s, Action::Validate);
    at_s += 30.0;
    act(&mut session, at_s, Action::StartRun);
    session.advance(at_s + 1.0, 1.0).expect("converges");
    let pump = Controls::Pump { rpm: 105.0, direction: PumpDirection::Forward, occlusion_set: true };
    act(&mut session, at_s + 1.0, Action::Edit(Edit::SetControls { part: PartId(3), controls: pump }));
    // Every alarm is acknowledged 4 s after it is first seen sounding.
    let mut seen: BTreeMap<Alarm, f64> = BTreeMap::new();
    for second in 2..=300u32 {
        let now = at_s + f64::from(second);
        session.advance(now, 1.0).expect("the reference circuit converges");
        let sounding = session.run().expect("running").alarms();
        seen.retain(|alarm, _| sounding.iter().any(|(a, _)| a == alarm));
        for (alarm, acknowledged) in sounding {
            let first = *seen.entry(alarm).or_insert(now);
            if !acknowledged && now - first >= 4.0 {
                act(&mut session, now, Action::Acknowledge(alarm));
            }
        }
    }
    act(&mut session, at_s + 310.0, Action::StopRun);
    session
}

pub fn adult_attempt(trainee: &str, catalog: &Catalog) -> Attempt {
    adult_session(trainee, catalog).attempt()
}
