//! The one integration-test binary. Each module says what belongs in it.

// Tests fail by panicking: unwrap, expect and panic are how they report.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
// Tests may time what they wait for (a killed app's autosave, a hostile file's load); the core may not.
#![allow(clippy::disallowed_methods)]

mod architecture;
mod attempt_fixture;
mod attempts;
mod bad_files;
mod bundled;
mod cases;
mod circuit_edits;
mod cli;
mod docs_examples;
mod drills;
mod envelope;
mod fault_kinds;
mod hostile;
mod instructor_cases;
mod physiology;
mod props;
mod session;
mod sim;
mod support;
mod ui;
mod validate;
mod workbench;
