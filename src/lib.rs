//! Perfusion Circuit Trainer: trainees assemble extracorporeal circuits (CPB, VA and VV ECMO) for a simulated
//! patient; instructors write the scenarios and review the attempts.
//!
//! The core (every module but `ui` and `cli`) is plain Rust with no window: `catalog` (parts and their specs),
//! `patient` (derived clinical numbers), `circuit` (the assembly and the `Edit`s that change it), `scenario`
//! (instructor files, checked), `priming` (prime volume and haemodilution), with `input` reading untrusted files
//! into diagnostics and `units` converting between SI and clinical units. `cli` and `ui` are thin shells over
//! it; ARCHITECTURE.md has the map and its invariants.

pub mod atomic_write;
pub mod attempt;
pub mod catalog;
pub mod circuit;
pub mod cli;
pub mod hydraulics;
pub mod ids;
pub mod input;
pub mod patient;
pub mod priming;
pub mod rules;
pub mod scenario;
pub mod session;
pub mod sim;
pub mod ui;
pub mod units;
pub mod validate;
