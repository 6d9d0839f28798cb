//! The one integration-test binary. Each module says what belongs in it.

mod architecture;
mod bad_files;
mod bundled;
mod circuit_edits;
mod cli;
mod support;
mod ui;
