//! Memory bounds on the worst files the loaders meet (issue: files people hand the program). The heap each load
//! takes at its peak, counted by an instrumented allocator in this test binary of its own (one test, so nothing
//! else allocates meanwhile), stays under ten times the file's size plus a fixed base. Time is measured by
//! `benches/hostile_files.rs`, never here.

// Tests fail by panicking: expect is how they report.
#![allow(clippy::expect_used)]

use peakmem_alloc::{INSTRUMENTED_SYSTEM, PeakMemAlloc, PeakMemAllocTrait};
use perfusion_trainer::catalog::Catalog;
use perfusion_trainer::input::Source;
use std::alloc::System;

#[global_allocator]
static HEAP: &PeakMemAlloc<System> = &INSTRUMENTED_SYSTEM;

/// What a load may take besides ten times its file. The small files take next to nothing (the adult reference
/// circuit, read and validated: 30 KiB); the most over ten times its size is a file full of errors, whose every
/// value's path is mapped to locate them (the 1.4 MiB scenario of 90,000 bad parameters: 21 MiB).
const BASE_BYTES: usize = 16 << 20;

const SOLUTION: &str = include_str!("../scenarios/solutions/adult_cabg.ron");

#[path = "../benches/common/hostile_files.rs"]
mod hostile_files;
use hostile_files::{SCENARIO, chain, many_parameters};

/// The peak heap `work` takes above what was in use before it.
fn peak_of(work: impl FnOnce()) -> usize {
    HEAP.reset_peak_memory();
    work();
    HEAP.get_peak_memory()
}

fn assert_bounded(name: &str, text: &str, work: impl FnOnce()) {
    let peak = peak_of(work);
    let bound = 10 * text.len() + BASE_BYTES;
    assert!(peak <= bound, "{name}: peak {peak} bytes over the bound {bound} for a {} byte file", text.len());
}

#[test]
fn the_worst_files_stay_within_ten_times_their_size_plus_a_base() {
    let catalog = Catalog::bundled().expect("the bundled catalog");
    let scenario = perfusion_trainer::scenario::Scenario::from_source(
        &Source::new("adult_cabg.ron", SCENARIO),
        "adult_cabg",
        &catalog,
    )
    .expect("bundled");

    // The largest circuit the loader accepts (200 parts, padded to 1 MiB): read, validated, simulated 10 s.
    let widest = chain(200, 1 << 20);
    assert_bounded("200-part circuit", &widest, || {
        let loaded = perfusion_trainer::circuit::file::from_source(&Source::new("chain.ron", widest.clone()), &catalog)
            .expect("accepted");
        let _ = perfusion_trainer::validate::validate(&scenario, &loaded.circuit, &catalog);
        let mut simulation = perfusion_trainer::sim::Simulation::new(&scenario, &loaded.circuit, &catalog);
        for _ in 0..100 {
            let _ = simulation.step();
        }
    });

    // A 1 MiB circuit of 5,500 parts: refused at the part limit, as it is read.
    let refused = chain(5_500, 1 << 20);
    assert_bounded("5,500-part circuit", &refused, || {
        let result = perfusion_trainer::circuit::file::from_source(&Source::new("huge.ron", refused.clone()), &catalog);
        assert!(result.is_err(), "beyond the part limit");
    });

    // A 1 MiB scenario of 90,000 rule parameters: refused, its diagnostics located.
    let many = many_parameters(90_000);
    assert_bounded("scenario of 90,000 parameters", &many, || {
        let result =
            perfusion_trainer::scenario::Scenario::from_source(&Source::new("s.ron", many.clone()), "s", &catalog);
        assert!(result.is_err(), "unknown parameters");
    });

    // An attempt of 3,000 edits each validated (the reference circuit moved back and forth), 1.1 MB, read and
    // replayed; then the same file with its last entry's time made negative, refused at that entry after the whole
    // file was parsed and mapped to locate it.
    let attempt = many_validations(&scenario, &catalog, 3_000);
    assert_bounded("attempt of 3,000 validated edits", &attempt, || {
        perfusion_trainer::attempt::from_source_once(&Source::new("a.ron", attempt.clone()), &catalog)
            .expect("a whole attempt");
    });
    let last = attempt.rfind("at_s: ").expect("entries");
    let broken = format!("{}at_s: -{}", &attempt[..last], &attempt[last + "at_s: ".len()..]);
    assert_bounded("attempt with its last time broken", &broken, || {
        let result = perfusion_trainer::attempt::from_source_once(&Source::new("a.ron", broken.clone()), &catalog);
        assert!(result.is_err(), "a negative time");
    });

    // The reference circuit itself: the base a small file needs.
    assert_bounded("adult reference circuit", SOLUTION, || {
        let loaded =
            perfusion_trainer::circuit::file::from_source(&Source::new("adult.ron", SOLUTION), &catalog).expect("ok");
        let _ = perfusion_trainer::validate::validate(&scenario, &loaded.circuit, &catalog);
    });
}

/// The attempt file a trainee makes by moving a part of the reference circuit `count` times, validating after each.
fn many_validations(scenario: &perfusion_trainer::scenario::Scenario, catalog: &Catalog, count: usize) -> String {
    use perfusion_trainer::circuit::{CanvasPos, Edit};
    use perfusion_trainer::session::{Action, Session};
    let circuit = perfusion_trainer::circuit::file::from_source(&Source::new("adult.ron", SOLUTION), catalog)
        .expect("the reference")
        .circuit;
    let mut session = Session::with_circuit(scenario.clone(), catalog.clone(), "T", "", &circuit).expect("opens");
    let oxygenator = perfusion_trainer::ids::PartId(6);
    for i in 0..count {
        let to = CanvasPos { x: 600.0 + (i % 2) as f32 * 10.0, y: 380.0 };
        session.go_to(1.0 + i as f64, None).expect("in order");
        session.apply(Action::Edit(Edit::MovePart { part: oxygenator, to })).expect("a move");
        session.apply(Action::Validate).expect("validated");
    }
    perfusion_trainer::attempt::to_ron(&session.attempt())
}
