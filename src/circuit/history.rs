//! Undo and redo: stacks of the inverses `Circuit::apply` returns.
//!
//! One gesture should be one step: callers coalesce (one `MovePart` on release, a `Batch` for compound changes).

use super::{Circuit, Edit, EditError};
use crate::catalog::Catalog;

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

    /// Applies `edit` and records it; a new edit forgets what could be redone.
    pub fn apply(&mut self, circuit: &mut Circuit, catalog: &Catalog, edit: Edit) -> Result<(), EditError> {
        let inverse = circuit.apply(catalog, edit)?;
        self.undo.push(inverse);
        self.redo.clear();
        Ok(())
    }

    /// Undoes the last step and returns the edit that did it (for a log); `Ok(None)` when there is nothing to undo.
    pub fn undo(&mut self, circuit: &mut Circuit, catalog: &Catalog) -> Result<Option<Edit>, EditError> {
        Self::swap(&mut self.undo, &mut self.redo, circuit, catalog)
    }

    /// Redoes the last undone step and returns the edit that did it; `Ok(None)` when there is nothing to redo.
    pub fn redo(&mut self, circuit: &mut Circuit, catalog: &Catalog) -> Result<Option<Edit>, EditError> {
        Self::swap(&mut self.redo, &mut self.undo, circuit, catalog)
    }

    fn swap(
        from: &mut Vec<Edit>,
        to: &mut Vec<Edit>,
        circuit: &mut Circuit,
        catalog: &Catalog,
    ) -> Result<Option<Edit>, EditError> {
        let Some(edit) = from.pop() else { return Ok(None) };
        match circuit.apply(catalog, edit.clone()) {
            Ok(inverse) => {
                to.push(inverse);
                Ok(Some(edit))
            }
            Err(error) => {
                from.push(edit);
                Err(error)
            }
        }
    }

    pub fn can_undo(&self) -> bool {
        !self.undo.is_empty()
    }

    pub fn can_redo(&self) -> bool {
        !self.redo.is_empty()
    }
}
