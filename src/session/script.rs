//! Timed action scripts: what `run` plays to make an attempt without a window, and what `simulate --commands`
//! reads (docs/cli.md, "Actions files"). An action is one of the session's `Action`s at a clock time; while a run
//! goes the model keeps pace with the clock at the run's speed (×1 unless the script sets another), or reaches the
//! model time an action names.

use super::{Action, Refusal, Session, TimeError};
use crate::circuit::Edit;
use crate::input::{Checker, Diagnostics, Source};
use serde::{Deserialize, Serialize};
use std::path::Path;

/// The actions file format version.
pub const ACTIONS_FORMAT_VERSION: u32 = 1;
/// The commands file format version (`simulate --commands`, read as actions).
pub const COMMANDS_FORMAT_VERSION: u32 = 1;
/// Latest time an action may be given, s: a day.
const MAX_ACTION_TIME_S: f64 = super::MAX_ATTEMPT_S;

/// One action at a time of the attempt's clock (s since it began); `model_s`, when given, is the run's model time
/// the action happens at (the model advances to it first).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TimedAction {
    pub at_s: f64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub model_s: Option<f64>,
    pub action: Action,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename = "Actions")]
struct ActionsFile {
    version: u32,
    actions: Vec<TimedAction>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename = "Commands")]
struct CommandsFile {
    version: u32,
    commands: Vec<TimedEdit>,
}

/// A command of a commands file: an edit at a model time of a run started at time 0.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
struct TimedEdit {
    at_s: f64,
    edit: Edit,
}

/// Reads an actions file (`Actions(version: 1, actions: [...])`), or a commands file
/// (`Commands(version: 1, commands: [...])`) as its edits, each at its time as clock and model time (a run started
/// at 0, as `simulate` starts it). An actions file's times must be in order: a script is a timeline.
pub fn load(path: &Path) -> Result<Vec<TimedAction>, Diagnostics> {
    from_source(&Source::read(path)?)
}

pub fn from_source(source: &Source) -> Result<Vec<TimedAction>, Diagnostics> {
    if first_word(&source.text) == "Commands" {
        let file: CommandsFile = source.parse()?;
        let mut check = Checker::new(source);
        check.version(file.version, COMMANDS_FORMAT_VERSION, "commands");
        for (i, command) in file.commands.iter().enumerate() {
            check.range(&format!("commands[{i}].at_s"), command.at_s, 0.0, MAX_ACTION_TIME_S, "s");
            if !command.edit.changes_settings_only() {
                check.error(
                    &format!("commands[{i}].edit"),
                    "only settings, clamps, heights and moves can change during a run",
                    Some("change the circuit file for anything else".into()),
                );
            }
        }
        let mut commands = file.commands;
        commands.sort_by(|a, b| a.at_s.total_cmp(&b.at_s));
        let actions = commands
            .into_iter()
            .map(|c| TimedAction { at_s: c.at_s, model_s: Some(c.at_s), action: Action::Edit(c.edit) })
            .collect();
        return check.finish(actions);
    }
    let file: ActionsFile = source.parse()?;
    let mut check = Checker::new(source);
    check.version(file.version, ACTIONS_FORMAT_VERSION, "actions");
    let mut previous = 0.0;
    for (i, action) in file.actions.iter().enumerate() {
        if check.range(&format!("actions[{i}].at_s"), action.at_s, 0.0, MAX_ACTION_TIME_S, "s") {
            if action.at_s < previous {
                check.error(
                    &format!("actions[{i}].at_s"),
                    format!("{} s is before the action above it ({previous} s)", action.at_s),
                    Some("list the actions in time order".into()),
                );
            }
            previous = previous.max(action.at_s);
        }
        if let Some(model_s) = action.model_s {
            check.range(&format!("actions[{i}].model_s"), model_s, 0.0, MAX_ACTION_TIME_S, "s");
        }
    }
    check.finish(file.actions)
}

/// The script as an actions file's text.
pub fn to_ron(actions: &[TimedAction]) -> String {
    let file = ActionsFile { version: ACTIONS_FORMAT_VERSION, actions: actions.to_vec() };
    let config = ron::ser::PrettyConfig::new().struct_names(true).depth_limit(3);
    // Plain data always serialises.
    ron::ser::to_string_pretty(&file, config).unwrap_or_default()
}

/// The first identifier of a RON text, after blank lines and comments.
fn first_word(text: &str) -> &str {
    let mut rest = text.trim_start_matches('\u{feff}');
    loop {
        rest = rest.trim_start();
        if let Some(after) = rest.strip_prefix("//") {
            rest = after.split_once('\n').map_or("", |(_, next)| next);
        } else if let Some(after) = rest.strip_prefix("/*") {
            rest = after.split_once("*/").map_or("", |(_, next)| next);
        } else {
            break;
        }
    }
    let end = rest.find(|c: char| !(c.is_alphanumeric() || c == '_')).unwrap_or(rest.len());
    &rest[..end]
}

/// Why a script stopped.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum PlayError {
    #[error("action {index} ({action:?}) at {at_s} s was refused: {refusal}")]
    Refused { index: usize, at_s: f64, action: Box<Action>, refusal: Refusal },
    #[error("action {index} at {at_s} s cannot happen then: {error}")]
    Time { index: usize, at_s: f64, error: TimeError },
    #[error("the attempt cannot go on to its end at {at_s} s: {error}")]
    End { at_s: f64, error: TimeError },
}

/// Plays a script into a session, a stretch at a time.
pub struct Player<'a> {
    actions: &'a [TimedAction],
    next: usize,
}

impl<'a> Player<'a> {
    pub fn new(actions: &'a [TimedAction]) -> Self {
        Self { actions, next: 0 }
    }

    /// The clock time of the last action, s.
    pub fn last_s(&self) -> f64 {
        self.actions.last().map_or(0.0, |a| a.at_s)
    }

    /// Does every action due by `until_s` and brings the session's clock (and a running model) to `until_s`.
    pub fn play_until(&mut self, session: &mut Session, until_s: f64) -> Result<(), PlayError> {
        while let Some(timed) = self.actions.get(self.next).filter(|a| a.at_s <= until_s) {
            let (index, at_s) = (self.next, timed.at_s);
            go_to(session, at_s, timed.model_s).map_err(|error| PlayError::Time { index, at_s, error })?;
            session.apply(timed.action.clone()).map_err(|refusal| PlayError::Refused {
                index,
                at_s,
                action: Box::new(timed.action.clone()),
                refusal,
            })?;
            self.next += 1;
        }
        go_to(session, until_s, None).map_err(|error| PlayError::End { at_s: until_s, error })
    }
}

/// Moves the session's clock to `at_s`; a running model goes to `model_s`, or keeps pace at its speed.
fn go_to(session: &mut Session, at_s: f64, model_s: Option<f64>) -> Result<(), TimeError> {
    let at_s = at_s.max(session.clock_s());
    let model_s = match (session.run(), model_s) {
        (Some(run), None) if !run.paused => Some(run.model_s() + (at_s - session.clock_s()) * run.speed),
        (_, model_s) => model_s,
    };
    session.go_to(at_s, model_s)
}
