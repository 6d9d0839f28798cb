//! The scenario picker: bundled scenarios and files opened from disk, each with its patient in one line, and the
//! scenario and attempt files opened or saved before.

use crate::ui::app::ScenarioEntry;
use eframe::egui::{self, RichText};
use std::path::PathBuf;

/// The list; `reveal` scrolls the selected entry into view once (a file opened from the command line joins the end
/// of a list longer than the window, where its selection could not be seen).
pub fn picker_ui(
    ui: &mut egui::Ui,
    entries: &[ScenarioEntry],
    selected: &mut Option<usize>,
    reveal: &mut bool,
    recent: &[PathBuf],
    reopen: &mut Option<PathBuf>,
) {
    ui.add_space(6.0);
    ui.heading("Scenarios");
    ui.add_space(4.0);
    egui::ScrollArea::vertical().auto_shrink([false, false]).show(ui, |ui| {
        for (index, entry) in entries.iter().enumerate() {
            let is_selected = *selected == Some(index);
            let response = entry_ui(ui, entry, is_selected);
            if is_selected && std::mem::take(reveal) {
                response.scroll_to_me(Some(egui::Align::Center));
            }
            if response.clicked() {
                *selected = Some(index);
            }
            ui.add_space(4.0);
        }
        // Files opened before and not listed above (this session's are already entries).
        let listed: Vec<String> = entries.iter().map(|e| e.origin.clone()).collect();
        let earlier: Vec<&PathBuf> = recent.iter().filter(|p| !listed.contains(&p.display().to_string())).collect();
        if !earlier.is_empty() {
            ui.add_space(8.0);
            ui.label(RichText::new("Recent files").strong());
            for path in earlier {
                let name =
                    path.file_name().map_or_else(|| path.display().to_string(), |n| n.to_string_lossy().into_owned());
                let response = ui.link(name).on_hover_text(path.display().to_string());
                if response.clicked() {
                    *reopen = Some(path.clone());
                }
            }
        }
    });
}

fn entry_ui(ui: &mut egui::Ui, entry: &ScenarioEntry, is_selected: bool) -> egui::Response {
    let (title, detail, failed) = match &entry.loaded {
        Ok(scenario) => {
            (scenario.title.clone(), format!("{} · {}", scenario.procedure.label(), scenario.patient_summary()), false)
        }
        Err(diagnostics) => (entry.name.clone(), format!("cannot be loaded: {} problem(s)", diagnostics.0.len()), true),
    };
    let visuals = ui.visuals();
    let fill = if is_selected { visuals.selection.bg_fill } else { visuals.faint_bg_color };
    let frame = egui::Frame::group(ui.style()).fill(fill).inner_margin(egui::Margin::same(8));
    let response = frame
        .show(ui, |ui| {
            ui.set_width(ui.available_width());
            let title_text = if failed {
                RichText::new(format!("Cannot load: {title}")).color(ui.visuals().error_fg_color).strong()
            } else {
                RichText::new(title.clone()).strong()
            };
            ui.label(title_text);
            ui.label(RichText::new(detail).weak());
            if entry.origin != "Bundled" {
                ui.label(RichText::new(&entry.origin).small().weak());
            }
        })
        .response;
    // A widget of its own over the card (the frame's response belongs to its inner Ui, which takes no focus), so
    // Tab reaches the card and Enter opens it; a ring shows where the keyboard is.
    let id = egui::Id::unique(("scenario_card", &entry.origin, &entry.name));
    let response = ui.interact(response.rect, id, egui::Sense::click());
    if response.has_focus() {
        let ring = egui::Stroke::new(2.0, ui.visuals().selection.stroke.color);
        ui.painter().rect_stroke(response.rect, egui::CornerRadius::same(4), ring, egui::StrokeKind::Outside);
    }
    response.widget_info(|| egui::WidgetInfo::selected(egui::Role::Button, true, is_selected, &title));
    response.on_hover_cursor(egui::CursorIcon::PointingHand)
}
