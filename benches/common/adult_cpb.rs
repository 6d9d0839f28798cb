//! The adult CPB reference circuit with its arterial pump at 100 rpm, shared by the simulation benchmarks.

use perfusion_trainer::catalog::Catalog;
use perfusion_trainer::circuit::{Circuit, Controls, Edit, PumpDirection, file};
use perfusion_trainer::ids::PartId;
use perfusion_trainer::input::Source;
use perfusion_trainer::scenario::{self, Scenario};

pub fn adult_cpb() -> Option<(Catalog, Scenario, Circuit)> {
    let catalog = Catalog::bundled().ok()?;
    let scenario = scenario::bundled("adult_cabg", &catalog)?.ok()?;
    let text = include_str!("../../scenarios/solutions/adult_cabg.ron");
    let mut circuit = file::from_source(&Source::new("adult_cabg.ron", text), &catalog).ok()?.circuit;
    let controls = Controls::Pump { rpm: 100.0, direction: PumpDirection::Forward, occlusion_set: true };
    circuit.apply(&catalog, Edit::SetControls { part: PartId(3), controls }).ok()?;
    Some((catalog, scenario, circuit))
}
