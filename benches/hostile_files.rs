//! Reading the worst files (goal: each well under the 5 s the issue allows, on this machine): a circuit at the part
//! limit padded to 1 MiB, a 1 MiB circuit far beyond the limit (refused as it is read), a scenario of 90,000
//! refused rule parameters.

use criterion::{Criterion, criterion_group, criterion_main};
use perfusion_trainer::catalog::Catalog;
use perfusion_trainer::circuit::file;
use perfusion_trainer::input::Source;
use perfusion_trainer::scenario::Scenario;
use std::hint::black_box;

#[path = "common/hostile_files.rs"]
mod hostile_files;

fn worst_files(c: &mut Criterion) {
    let Ok(catalog) = Catalog::bundled() else { return };
    let mut group = c.benchmark_group("worst files");
    group.sample_size(10);
    for (name, text) in [
        ("200-part circuit, 1 MiB", hostile_files::chain(200, 1 << 20)),
        ("5,500-part circuit, 1 MiB", hostile_files::chain(5_500, 1 << 20)),
    ] {
        group.bench_function(name, |b| {
            b.iter(|| file::from_source(black_box(&Source::new("c.ron", text.clone())), &catalog).is_ok())
        });
    }
    let many = hostile_files::many_parameters(90_000);
    group.bench_function("scenario of 90,000 parameters", |b| {
        b.iter(|| Scenario::from_source(black_box(&Source::new("s.ron", many.clone())), "s", &catalog).is_ok())
    });
    group.finish();
}

criterion_group!(benches, worst_files);
criterion_main!(benches);
