//! Replaying an attempt is feeding a fresh session the trainee's actions from its log, each at the clock and model
//! time it was logged at (through `Session::go_to`, which refuses times the app could not have reached). What the
//! model did (alarms, faults, trends) is not read from the file but happens again: the session records it as it
//! did the first time, so a score never rests on what a file claims.

use super::{Action, Refusal, Session, TimeError};
use crate::attempt::Attempt;
use crate::catalog::Catalog;
use crate::scenario::Scenario;

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
/// attempt's notes and grade. `checkpoints`: whether it keeps them (to show moments later) or not (read once).
pub fn replay(
    attempt: &Attempt,
    scenario: Scenario,
    catalog: Catalog,
    checkpoints: bool,
) -> Result<Session, ReplayError> {
    let mut session = Session::new(scenario, catalog, &attempt.trainee, &attempt.started);
    if attempt.without_faults {
        session = session.without_faults();
    }
    session.keep_checkpoints = checkpoints;
    session.hold_to_kit = false;
    session.speeds_logged = attempt.version >= 2;
    for (index, entry) in attempt.log.iter().enumerate() {
        let Some(action) = entry.event.action() else { continue };
        let wrong = |error: TimeError| ReplayError { index, field: error.field(), problem: error.to_string() };
        session.go_to(entry.at_s, entry.model_s).map_err(wrong)?;
        match session.apply(action) {
            Ok(()) => {}
            // An acknowledgement of an alarm the model does not sound then (a file from before the physics last
            // changed) answers nothing: it is left out, and earns nothing.
            Err(Refusal::NotSounding(_) | Refusal::AlreadyAcknowledged(_)) => {}
            Err(refusal) => {
                return Err(ReplayError {
                    index,
                    field: "event",
                    problem: format!("{} cannot be replayed: {refusal}", entry.event.describe()),
                });
            }
        }
    }
    let end = attempt.end;
    if end.at_s > 0.0 || end.model_s.is_some() {
        let at_s = end.at_s.max(session.clock_s());
        let index = attempt.log.len();
        session.go_to(at_s, end.model_s).map_err(|error| ReplayError {
            index,
            field: error.field(),
            problem: error.to_string(),
        })?;
    }
    session.attempt.notes = attempt.notes.clone();
    session.attempt.grade = attempt.grade.clone();
    session.hold_to_kit = true;
    session.speeds_logged = true;
    Ok(session)
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
