//! Replaying an attempt is feeding a fresh session the trainee's actions from its log, each at the clock and model
//! time it was logged at. What the model did (alarms, faults, trends) is not read from the file but happens again:
//! the session records it as it did the first time, so a score never rests on what a file claims.

use super::{Action, Session};
use crate::attempt::Attempt;
use crate::catalog::Catalog;
use crate::scenario::Scenario;
use crate::sim::STEP_S;

/// The longest attempt a log may describe, s of clock or of model time: a day. Bounds the work a file can ask for.
pub const MAX_ATTEMPT_S: f64 = 86_400.0;
/// The fastest a run can go, × the clock (the app's top speed), with a second's slack for the frame in which a
/// speed changed: a log whose model runs ahead of this was not recorded by the program.
const MAX_MODEL_PER_CLOCK: f64 = 60.0;
const MODEL_SLACK_S: f64 = 1.0;

/// Why a log cannot be replayed: the entry (`index` = the log's length for the attempt's `end`), the field and
/// what is wrong.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("log[{index}].{field}: {problem}")]
pub struct ReplayError {
    pub index: usize,
    pub field: &'static str,
    pub problem: String,
}

/// A session that has done everything the attempt's log says the trainee did, at the same times, with the
/// attempt's notes and grade.
pub fn replay(attempt: &Attempt, scenario: Scenario, catalog: Catalog) -> Result<Session, ReplayError> {
    let mut session = Session::new(scenario, catalog, &attempt.trainee, &attempt.started);
    session.hold_to_kit = false;
    for (index, entry) in attempt.log.iter().enumerate() {
        go_to(&mut session, index, entry.at_s, entry.model_s)?;
        if let Some(action) = entry.event.action() {
            session.apply(action).map_err(|refusal| ReplayError {
                index,
                field: "event",
                problem: format!("{} cannot be replayed: {refusal}", entry.event.describe()),
            })?;
        }
    }
    let end = attempt.end;
    if end.at_s > 0.0 || end.model_s.is_some() {
        let at_s = end.at_s.max(session.clock_s());
        go_to(&mut session, attempt.log.len(), at_s, end.model_s)?;
    }
    session.attempt.notes = attempt.notes.clone();
    session.attempt.grade = attempt.grade.clone();
    session.hold_to_kit = true;
    Ok(session)
}

/// Moves the session to the entry's clock and, while a run goes, its model time, refusing times the program could
/// not have written.
fn go_to(session: &mut Session, index: usize, at_s: f64, model_s: Option<f64>) -> Result<(), ReplayError> {
    let wrong = |field, problem: String| ReplayError { index, field, problem };
    if !(0.0..=MAX_ATTEMPT_S).contains(&at_s) {
        return Err(wrong("at_s", format!("{at_s} s is not a time from 0 to {MAX_ATTEMPT_S} s")));
    }
    if at_s < session.clock_s() {
        return Err(wrong("at_s", format!("{at_s} s is before the entry above it ({} s)", session.clock_s())));
    }
    let (Some(run), Some(model_s)) = (session.run(), model_s) else {
        // No run, or an entry that did not note the model's time (format 1 logged validations so): the clock moves.
        session.advance(at_s, 0.0).map_err(|e| wrong("model_s", e.to_string()))?;
        return Ok(());
    };
    let now = run.model_s();
    if !(0.0..=MAX_ATTEMPT_S).contains(&model_s) || model_s + 1e-9 < now {
        return Err(wrong("model_s", format!("{model_s} s is not between {now} s (the entry above) and a day")));
    }
    let allowed = (at_s - session.clock_s()) * MAX_MODEL_PER_CLOCK + MODEL_SLACK_S;
    if model_s - now > allowed {
        return Err(wrong(
            "model_s",
            format!(
                "the model ran {:.1} s in {:.1} s of clock, faster than ×60",
                model_s - now,
                at_s - session.clock_s()
            ),
        ));
    }
    session.advance_to(at_s, model_s).map_err(|e| wrong("model_s", format!("the model stopped: {e}")))?;
    let reached = session.run().map_or(model_s, super::Run::model_s);
    if (reached - model_s).abs() > STEP_S / 2.0 {
        return Err(wrong("model_s", format!("{model_s} s cannot be reached: the run was paused at {reached} s")));
    }
    Ok(())
}

/// The actions of a log, in order, with their times: what `run` scripts and a replay feed.
pub fn actions(attempt: &Attempt) -> Vec<super::script::TimedAction> {
    attempt
        .log
        .iter()
        .filter_map(|e| {
            let action: Action = e.event.action()?;
            Some(super::script::TimedAction { at_s: e.at_s, model_s: e.model_s, action })
        })
        .collect()
}
