//! One UI frame of the workbench with the adult CPB reference circuit running (pump at 105 rpm, particles moving):
//! layout and tessellation through the kittest harness, without rasterisation. Goal: under 4 ms.

use criterion::{Criterion, criterion_group, criterion_main};
use egui_kittest::Harness;
use perfusion_trainer::catalog::Catalog;
use perfusion_trainer::circuit::{Controls, Edit, PumpDirection, file};
use perfusion_trainer::ids::PartId;
use perfusion_trainer::input::Source;
use perfusion_trainer::scenario;
use perfusion_trainer::ui::{App, Dialogs};

fn running_workbench() -> Option<Harness<'static, App>> {
    let catalog = Catalog::bundled().ok()?;
    let adult = scenario::bundled("adult_cabg", &catalog)?.ok()?;
    let text = include_str!("../scenarios/solutions/adult_cabg.ron");
    let mut circuit = file::from_source(&Source::new("adult_cabg.ron", text), &catalog).ok()?.circuit;
    let controls = Controls::Pump { rpm: 105.0, direction: PumpDirection::Forward, occlusion_set: true };
    circuit.apply(&catalog, Edit::SetControls { part: PartId(3), controls }).ok()?;
    let mut harness = Harness::builder()
        .with_size(eframe::egui::vec2(1280.0, 800.0))
        .with_step_dt(1.0 / 60.0)
        .build_eframe(move |cc| {
            let mut app = App::new(&cc.egui_ctx, None, Dialogs::cancelled());
            app.open_workbench(adult.clone(), circuit.clone());
            app
        });
    harness.step();
    harness.key_press(eframe::egui::Key::F6);
    // A minute of model time at ×1 would take 3,600 frames; 300 frames bring blood into every line that flows.
    for _ in 0..300 {
        harness.step();
    }
    Some(harness)
}

fn frame(c: &mut Criterion) {
    let Some(mut harness) = running_workbench() else { return };
    c.bench_function("ui frame, adult CPB running", |b| {
        b.iter(|| {
            harness.step();
            let output = harness.output();
            let shapes = output.shapes.clone();
            harness.ctx.tessellate(shapes, output.pixels_per_point).len()
        })
    });
}

criterion_group!(benches, frame);
criterion_main!(benches);
