//! The eframe app: the only place that knows egui, eframe and rfd. It reads the core and asks it to change; it
//! holds no clinical logic.

// The app is the one place that reads the wall clock (clippy.toml forbids it elsewhere): it paces the run and
// dates the attempt, and hands the time to the session.
#![allow(clippy::disallowed_methods)]

mod app;
mod command;
mod dialog_log;
mod panels;
mod workbench;

pub use app::Picked;
pub use workbench::Workbench;

pub use app::{App, Dialogs, FileDialog};
pub use command::UiCommand;

use crate::circuit::Circuit;
use crate::scenario::Scenario;
use std::path::Path;
use std::process::ExitCode;

/// The window size the layout is designed for (points).
const INITIAL_SIZE: [f32; 2] = [1280.0, 800.0];

/// Opens the window on the bundled scenarios, or on the workbench of `start` (a scenario and the circuit to begin
/// from); returns when it closes.
/// What the app opens on.
#[derive(Debug, Clone)]
pub enum Start {
    /// A scenario's briefing in the picker (a bundled id or a scenario file), with "Build the circuit".
    Briefing(String),
    /// The workbench on a scenario with a circuit on the canvas.
    Workbench(Box<(Scenario, Circuit)>),
}

/// Runs the app; `without_faults` sets the briefing's practice switch (`open --no-faults`).
pub fn run(catalog_path: Option<&Path>, start: Option<Start>, without_faults: bool) -> ExitCode {
    let options = eframe::NativeOptions {
        viewport: eframe::egui::ViewportBuilder::default()
            .with_title("Perfusion Circuit Trainer")
            .with_inner_size(INITIAL_SIZE)
            .with_min_inner_size([900.0, 600.0]),
        ..Default::default()
    };
    dialog_log::install();
    let catalog_path = catalog_path.map(Path::to_path_buf);
    let result = eframe::run_native(
        "Perfusion Circuit Trainer",
        options,
        Box::new(move |cc| {
            let mut app = App::new(&cc.egui_ctx, catalog_path.as_deref(), app::Dialogs::system());
            if let Some(path) = app::default_autosave_path() {
                app.autosave_to(path);
            }
            if let Some(storage) = cc.storage {
                app.restore_recent(storage);
            }
            app.without_faults = without_faults;
            match start {
                Some(Start::Workbench(opened)) => {
                    let (scenario, circuit) = *opened;
                    app.open_workbench(scenario, circuit);
                }
                Some(Start::Briefing(scenario)) => app.show_briefing(&scenario),
                None => {}
            }
            Ok(Box::new(app))
        }),
    );
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            use std::io::Write;
            let _ = writeln!(
                std::io::stderr(),
                "perfusion-trainer: cannot open the window: {error}\n  (no display or no graphics adapter? The app \
                 needs a display and a Vulkan, Metal, DX12 or OpenGL driver; without a GPU, a software one such as \
                 Mesa's llvmpipe (package mesa-vulkan-drivers) works. Every command but `open` runs without a window: \
                 see `perfusion-trainer --help`.)"
            );
            ExitCode::from(2)
        }
    }
}
