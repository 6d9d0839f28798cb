//! The adult CPB reference circuit at 100 rpm: one simulation step, and one simulated hour headless
//! (goal: an hour in under 0.36 s on one core).

use criterion::{Criterion, criterion_group, criterion_main};
use perfusion_trainer::sim::Simulation;
use std::time::Duration;

#[path = "common/adult_cpb.rs"]
mod adult_cpb;
use adult_cpb::adult_cpb;

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
