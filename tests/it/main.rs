//! The one integration-test binary. Each module says what belongs in it.

// Tests fail by panicking: unwrap, expect and panic are how they report.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod architecture;
mod attempt_fixture;
mod attempts;
mod bad_files;
mod bundled;
mod circuit_edits;
mod cli;
mod docs_examples;
mod props;
mod sim;
mod support;
mod ui;
mod validate;
mod workbench;
