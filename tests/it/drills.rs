//! Fault drills: for every bundled scenario with faults, its reference response (scenarios/responses/<id>.ron)
//! played with `run` and re-simulated as `grade` loads it scores above 85, and a passive attempt (start the run and
//! do nothing, with or without the pump set going) scores below 40; each fault kind's expected response is judged
//! in model time.

use crate::support::{catalog, repo_path, scenario, solution};
use perfusion_trainer::attempt::{self, checklist::Status, checklist::checklist};
use perfusion_trainer::input::Source;
use perfusion_trainer::session::Session;
use perfusion_trainer::session::script::{self, TimedAction};

/// Model time each drill runs to at ×30 after 13 s of clock: 35 min, past every bundled fault and its response.
const DRILL_MINUTES: f64 = 1.5;

/// Plays `actions` on the scenario's reference circuit as `run` does, then loads the attempt as `grade` does
/// (replaying its log) and returns the score it computes and the reloaded attempt.
fn play_and_grade(id: &str, actions: &[TimedAction]) -> (f64, attempt::Attempt) {
    let catalog = catalog();
    let scenario = scenario(id);
    // As `run` plays an actions file: the circuit's building edits at 0, then every action at its clock time.
    let mut session = Session::with_circuit(scenario.clone(), catalog.clone(), "drill", "", &solution(id))
        .unwrap_or_else(|e| panic!("{id}: {e}"))
        .without_checkpoints();
    let mut player = script::Player::new(actions);
    player.play_until(&mut session, DRILL_MINUTES * 60.0).unwrap_or_else(|e| panic!("{id}: {e}"));
    let made = session.attempt();
    let text = attempt::to_ron(&made);
    let loaded = attempt::from_source_once(&Source::new(format!("{id}.attempt.ron"), text), &catalog)
        .unwrap_or_else(|d| panic!("{id}: {d}"));
    let score = attempt::score(&loaded.attempt, &loaded.scenario, &catalog);
    (score.total, loaded.attempt)
}

fn response(id: &str) -> Vec<TimedAction> {
    script::load(&repo_path(&format!("scenarios/responses/{id}.ron"))).unwrap_or_else(|d| panic!("{id}:\n{d}"))
}

/// Validate, start the run, set the arterial pump going (the reference response's first edit) when `pump` says so,
/// set the speed, and nothing after.
fn passive(id: &str, pump: bool) -> Vec<TimedAction> {
    use perfusion_trainer::session::Action;
    let reference = response(id);
    let first_edit = reference.iter().position(|a| matches!(a.action, Action::Edit(_)));
    let go_on: Vec<TimedAction> = reference
        .iter()
        .enumerate()
        .take_while(|(i, _)| reference.get(i.wrapping_sub(1)).is_none_or(|a| !matches!(a.action, Action::SetSpeed(_))))
        .filter(|(i, a)| {
            matches!(a.action, Action::Validate | Action::StartRun | Action::SetSpeed(_))
                || (pump && Some(*i) == first_edit)
        })
        .map(|(_, a)| a.clone())
        .collect();
    assert!(go_on.len() >= 3, "{id}: the reference response starts by validating and going on");
    go_on
}

#[test]
fn every_bundled_drill_rewards_the_reference_response_and_not_passivity() {
    let mut figures = Vec::new();
    for id in perfusion_trainer::scenario::bundled_ids() {
        if scenario(id).faults.is_empty() {
            continue;
        }
        let (reference, attempt) = play_and_grade(id, &response(id));
        let unanswered: Vec<String> = checklist(&attempt, &scenario(id), &catalog())
            .into_iter()
            .filter(|item| matches!(item.status, Status::Missed | Status::Wrong | Status::Late))
            .map(|item| item.action)
            .collect();
        let (idle, _) = play_and_grade(id, &passive(id, false));
        let (watching, _) = play_and_grade(id, &passive(id, true));
        figures.push(format!("{id}: reference {reference:.1}, idle {idle:.1}, watching {watching:.1}"));
        assert!(reference > 85.0, "{id}: the reference response scores {reference:.1}; not done: {unanswered:?}");
        assert!(idle < 40.0, "{id}: starting the run and doing nothing scores {idle:.1}");
        assert!(watching < 40.0, "{id}: going on and watching the faults scores {watching:.1}");
    }
    assert!(figures.len() >= 12, "{figures:?}");
}

/// The response is judged in model time: an action within the kind's time after the fault is done, one after it
/// late, a harmful one wrong, and nothing is marked missed before its time could have come.
#[test]
fn responses_are_judged_in_model_time_with_late_and_harmful_actions() {
    use perfusion_trainer::circuit::{Controls, Edit, PumpDirection};
    use perfusion_trainer::ids::{PartId, TubeId};
    use perfusion_trainer::scenario::{Fault, FaultKind, LineRole};
    use perfusion_trainer::session::Action;
    use perfusion_trainer::sim::Intervention;
    let catalog = catalog();
    let mut drill = scenario("adult_cabg");
    drill.faults = vec![Fault::new(60.0, FaultKind::LineKink { line: LineRole::Venous, open_fraction: 0.3 })];
    let pump = |rpm| Edit::SetControls {
        part: PartId(3),
        controls: Controls::Pump { rpm, direction: PumpDirection::Forward, occlusion_set: true },
    };
    let mut session = Session::with_circuit(drill.clone(), catalog.clone(), "t", "", &solution("adult_cabg")).unwrap();
    session.apply(Action::StartRun).unwrap();
    session.apply(Action::Edit(pump(105.0))).unwrap();
    // At ×10: 30 s of model time pass in 3 s of clock.
    session.apply(Action::SetSpeed(10.0)).unwrap();
    session.advance(3.0, 30.0).unwrap();
    let judged = |session: &Session| {
        let attempt = session.attempt();
        checklist(&attempt, &drill, &catalog)
            .into_iter()
            .map(|item| (item.action, item.status, item.model_s))
            .collect::<Vec<_>>()
    };
    // 30 s in: the fault has not come, the target flow's 5 min have not passed.
    let early = judged(&session);
    assert!(early.iter().any(|(a, s, _)| a.starts_with("Reach the target flow") && *s == Status::Done), "{early:?}");
    assert!(early.iter().any(|(a, s, _)| a.starts_with("Answer the venous line kinked") && *s == Status::NotDue));
    // The kink at 60 s of model time; the pump sped up at 70 s (harmful), slowed at 100 s (in time: within 60 s),
    // straightened at 200 s (late: its 2 min ran out at 180 s).
    session.advance(4.0, 40.0).unwrap();
    session.apply(Action::Edit(pump(115.0))).unwrap();
    session.advance(7.0, 30.0).unwrap();
    session.apply(Action::Edit(pump(90.0))).unwrap();
    session.advance(17.0, 100.0).unwrap();
    session.apply(Action::Intervene(Intervention::Straighten(TubeId(8)))).unwrap();
    let late = judged(&session);
    let status_of = |prefix: &str| late.iter().find(|(a, _, _)| a.starts_with(prefix)).map(|(_, s, m)| (*s, *m));
    assert_eq!(status_of("Slow or stop the arterial pump").map(|(s, _)| s), Some(Status::Done), "{late:?}");
    let (straightened, at) = status_of("Find and straighten the kink").unwrap();
    assert_eq!(straightened, Status::Late, "{late:?}");
    assert!(at.is_some_and(|m| (m - 200.0).abs() < 0.6), "model time {at:?}");
    assert_eq!(status_of("Not: speed up the arterial pump").map(|(s, _)| s), Some(Status::Wrong), "{late:?}");
}

/// A passive attempt saved before its faults came (×1, 1.5 min of a 25 min drill) is no answer to them: the
/// faults it never met count as missed, so it still scores below 40.
#[test]
fn an_attempt_saved_before_its_faults_does_not_escape_them() {
    let mut actions = passive("adult_va_ecmo", true);
    actions.retain(|a| !matches!(a.action, perfusion_trainer::session::Action::SetSpeed(_)));
    let (score, _) = play_and_grade("adult_va_ecmo", &actions);
    assert!(score < 40.0, "{score:.1}");
}

/// A checklist item done during a run is dated on the attempt's clock as the log dates it: at ×30 the target flow
/// reached 20 s into the run was reached well under 20 s of clock after the run started (it was dated start + model
/// time, later than the attempt's end).
#[test]
fn checklist_times_follow_the_runs_speed() {
    let (_, attempt) = play_and_grade("drill_reservoir_low", &response("drill_reservoir_low"));
    let items = checklist(&attempt, &scenario("drill_reservoir_low"), &catalog());
    let reached = items.iter().find(|i| i.action == "Reach the target flow").expect("the item");
    let (at_s, model_s) = (reached.at_s.unwrap(), reached.model_s.unwrap());
    let started = attempt.log.iter().find(|e| e.event == attempt::Event::RunStarted).unwrap().at_s;
    assert!(at_s <= attempt.duration_s(), "dated {at_s} s, after the attempt's end {} s", attempt.duration_s());
    assert!(at_s - started < model_s, "at ×30, {model_s} s of model time took less clock ({} s)", at_s - started);
}
