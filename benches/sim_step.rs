//! The adult CPB reference circuit at 100 rpm: one simulation step, and one simulated hour headless
//! (goal: an hour in under 0.36 s on one core).

use criterion::{Criterion, criterion_group, criterion_main};
use perfusion_trainer::catalog::Catalog;
use perfusion_trainer::circuit::{Circuit, Controls, Edit, PumpDirection, file};
use perfusion_trainer::ids::PartId;
use perfusion_trainer::input::Source;
use perfusion_trainer::scenario::{self, Scenario};
use perfusion_trainer::sim::Simulation;
use std::time::Duration;

fn adult_cpb() -> Option<(Catalog, Scenario, Circuit)> {
    let catalog = Catalog::bundled().ok()?;
    let scenario = scenario::bundled("adult_cabg", &catalog)?.ok()?;
    let text = include_str!("../scenarios/solutions/adult_cabg.ron");
    let mut circuit = file::from_source(&Source::new("adult_cabg.ron", text), &catalog).ok()?.circuit;
    let controls = Controls::Pump { rpm: 100.0, direction: PumpDirection::Forward, occlusion_set: true };
    circuit.apply(&catalog, Edit::SetControls { part: PartId(3), controls }).ok()?;
    Some((catalog, scenario, circuit))
}

fn sim(c: &mut Criterion) {
    let Some((catalog, scenario, circuit)) = adult_cpb() else { return };
    let mut simulation = Simulation::new(&scenario, &circuit, &catalog);
    for _ in 0..1000 {
        let _ = simulation.step();
    }
    c.bench_function("sim step, adult CPB", |b| b.iter(|| simulation.step()));
    let mut group = c.benchmark_group("sim hour");
    group.sample_size(10).measurement_time(Duration::from_secs(30));
    group.bench_function("one simulated hour, adult CPB", |b| {
        b.iter(|| {
            let mut simulation = Simulation::new(&scenario, &circuit, &catalog);
            for _ in 0..360_000 {
                let _ = simulation.step();
            }
            simulation.state().time_s
        })
    });
    group.finish();
}

criterion_group!(benches, sim);
criterion_main!(benches);
