//! Shared helpers: the bundled catalog, bundled scenarios and their reference solutions.

use perfusion_trainer::catalog::Catalog;
use perfusion_trainer::circuit::{Circuit, file};
use perfusion_trainer::scenario::{self, Scenario};
use std::path::PathBuf;

pub fn catalog() -> Catalog {
    Catalog::bundled().unwrap_or_else(|d| panic!("bundled catalog:\n{d}"))
}

pub fn scenario(id: &str) -> Scenario {
    scenario::bundled(id, &catalog()).expect("bundled id").unwrap_or_else(|d| panic!("{id}:\n{d}"))
}

pub fn repo_path(relative: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(relative)
}

pub fn solution(id: &str) -> Circuit {
    let path = repo_path(&format!("scenarios/solutions/{id}.ron"));
    file::load(&path, &catalog()).unwrap_or_else(|d| panic!("{id} solution:\n{d}")).circuit
}

pub fn bin() -> std::process::Command {
    std::process::Command::new(env!("CARGO_BIN_EXE_perfusion-trainer"))
}
