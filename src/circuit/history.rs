//! Undo and redo: stacks of the inverses `Circuit::apply` returns.
//!
//! The history only keeps the stacks; `session::Session` is the one place that applies edits, so that a step is
//! checked whole (kit, run, simulation) before the circuit, the history and the log change together. One gesture
//! should be one step: callers coalesce (one `MovePart` on release, a `Batch` for compound changes).

use super::Edit;

#[derive(Debug, Clone, Default)]
pub struct History {
    /// Edits that undo the applied steps, newest last.
    undo: Vec<Edit>,
    /// Edits that redo the undone steps, newest last.
    redo: Vec<Edit>,
}

impl History {
    pub fn new() -> Self {
        Self::default()
    }

    /// The edit that would undo the last step.
    pub fn next_undo(&self) -> Option<&Edit> {
        self.undo.last()
    }

    /// The edit that would redo the last undone step.
    pub fn next_redo(&self) -> Option<&Edit> {
        self.redo.last()
    }

    /// A new step was applied; `inverse` undoes it. What could be redone is forgotten.
    pub fn record(&mut self, inverse: Edit) {
        self.undo.push(inverse);
        self.redo.clear();
    }

    /// `next_undo` was applied; `inverse` redoes it.
    pub fn record_undone(&mut self, inverse: Edit) {
        self.undo.pop();
        self.redo.push(inverse);
    }

    /// `next_redo` was applied; `inverse` undoes it again.
    pub fn record_redone(&mut self, inverse: Edit) {
        self.redo.pop();
        self.undo.push(inverse);
    }

    pub fn can_undo(&self) -> bool {
        !self.undo.is_empty()
    }

    pub fn can_redo(&self) -> bool {
        !self.redo.is_empty()
    }
}
