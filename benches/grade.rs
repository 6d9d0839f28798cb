//! Grading a folder of 1,000 attempts at the adult CABG scenario (each the reference circuit built edit by edit and
//! run for five minutes), in parallel as `perfusion-trainer grade` does. Grading re-simulates every log (a score
//! never rests on what a file claims), so it costs the attempts' model time: 25 s for these 1,000 on 2 cores.

use criterion::{Criterion, criterion_group, criterion_main};
use perfusion_trainer::attempt::{self, grade};
use perfusion_trainer::catalog::Catalog;
use std::time::Duration;

#[path = "../tests/it/attempt_fixture.rs"]
#[allow(dead_code, clippy::expect_used)]
mod attempt_fixture;

fn grading(c: &mut Criterion) {
    let Ok(catalog) = Catalog::bundled() else { return };
    let Ok(dir) = tempfile::tempdir() else { return };
    let template = attempt_fixture::adult_attempt("Trainee", &catalog);
    for n in 0..1000 {
        let mut mine = template.clone();
        mine.trainee = format!("Trainee {n:04}");
        if attempt::save(&dir.path().join(format!("{n:04}.ron")), &mine).is_err() {
            return;
        }
    }
    let Ok(files) = grade::attempt_files(dir.path()) else { return };
    let mut group = c.benchmark_group("grade");
    group.sample_size(10).measurement_time(Duration::from_secs(30));
    group.bench_function("grade 1,000 attempts", |b| {
        b.iter(|| grade::grade_files(&files, &catalog, grade::Instructor::Bundled).len())
    });
    group.finish();
}

criterion_group!(benches, grading);
criterion_main!(benches);
