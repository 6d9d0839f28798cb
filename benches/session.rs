//! The session against the bare simulation, and the review of a moment deep into an attempt. Goals (issue 11):
//! one simulated hour of the adult CPB reference through `Session::advance` within 10 % of the bare simulation;
//! any moment of a 60-minute attempt shown in under 100 ms.

use criterion::{Criterion, criterion_group, criterion_main};
use perfusion_trainer::catalog::Catalog;
use perfusion_trainer::circuit::Circuit;
use perfusion_trainer::scenario::Scenario;
use perfusion_trainer::session::{Action, Session};
use perfusion_trainer::sim::Simulation;
use std::time::Duration;

#[path = "common/adult_cpb.rs"]
mod adult_cpb;
use adult_cpb::adult_cpb;

const HOUR_S: f64 = 3600.0;

/// A session on the circuit with its run started at clock 0.
fn running(catalog: &Catalog, scenario: &Scenario, circuit: &Circuit) -> Option<Session> {
    let mut session = Session::with_circuit(scenario.clone(), catalog.clone(), "bench", "", circuit).ok()?;
    session.apply(Action::StartRun).ok()?;
    Some(session)
}

fn hour(c: &mut Criterion) {
    let Some((catalog, scenario, circuit)) = adult_cpb() else { return };
    let mut group = c.benchmark_group("session hour");
    group.sample_size(10).measurement_time(Duration::from_secs(30));
    group.bench_function("bare simulation, one hour", |b| {
        b.iter(|| {
            let mut simulation = Simulation::new(&scenario, &circuit, &catalog);
            for _ in 0..360_000 {
                let _ = simulation.step();
            }
            simulation.state().time_s
        })
    });
    group.bench_function("Session::advance, one hour in 1 s calls", |b| {
        b.iter(|| {
            let Some(mut session) = running(&catalog, &scenario, &circuit) else { return 0.0 };
            for second in 1..=3600 {
                let _ = session.advance(f64::from(second), 1.0);
            }
            session.clock_s()
        })
    });
    group.finish();
}

fn review(c: &mut Criterion) {
    let Some((catalog, scenario, circuit)) = adult_cpb() else { return };
    let Some(mut session) = running(&catalog, &scenario, &circuit) else { return };
    let _ = session.advance(HOUR_S, HOUR_S);
    // 59 s after the last checkpoint before the end: the most re-simulation a moment needs.
    c.bench_function("review a moment 59:59 into the run", |b| {
        b.iter(|| session.moment(HOUR_S - 1.0).map(|m| m.run.is_some()))
    });
}

criterion_group!(benches, hour, review);
criterion_main!(benches);
