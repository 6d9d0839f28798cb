//! Validating the adult CPB reference circuit (goal: under 100 µs).

use criterion::{Criterion, criterion_group, criterion_main};
use perfusion_trainer::catalog::Catalog;
use perfusion_trainer::circuit::file;
use perfusion_trainer::input::Source;
use perfusion_trainer::scenario;
use perfusion_trainer::validate::validate;
use std::hint::black_box;

fn adult_cpb(c: &mut Criterion) {
    let Ok(catalog) = Catalog::bundled() else { return };
    let Some(Ok(scenario)) = scenario::bundled("adult_cabg", &catalog) else { return };
    let text = include_str!("../scenarios/solutions/adult_cabg.ron");
    let Ok(loaded) = file::from_source(&Source::new("adult_cabg.ron", text), &catalog) else { return };
    c.bench_function("validate adult CPB reference circuit", |b| {
        b.iter(|| validate(black_box(&scenario), black_box(&loaded.circuit), black_box(&catalog)))
    });
}

criterion_group!(benches, adult_cpb);
criterion_main!(benches);
