//! One panel per file; each draws from the state it is given and reports what the user asked for.

pub mod briefing;
pub mod picker;
