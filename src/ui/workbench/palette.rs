//! The kit on the shelf: each part the scenario provides with how many are left, drawn with its icon. Drag one
//! onto the canvas, or click it (or press Enter on it) to place it in view. Tubing is listed with the metres left;
//! it is laid by dragging between ports.

use super::Intent;
use super::icons::{self, IconStyle};
use crate::catalog::{Catalog, PartKind, PartSpec};
use crate::circuit::Circuit;
use crate::scenario::{KitAmount, Scenario};
use eframe::egui::{self, Color32, CornerRadius, RichText, Sense, Stroke, StrokeKind, vec2};

const ICON: f32 = 34.0;

pub fn palette_ui(
    ui: &mut egui::Ui,
    scenario: &Scenario,
    circuit: &Circuit,
    catalog: &Catalog,
    editable: bool,
    mut focus_first: bool,
    intents: &mut Vec<Intent>,
) {
    ui.add_space(6.0);
    ui.heading("Kit");
    ui.label(RichText::new("Drag a part onto the canvas, or click it to place it.").weak().small());
    ui.add_space(4.0);
    let usage = circuit.usage(catalog);
    egui::ScrollArea::vertical().auto_shrink([false, false]).show(ui, |ui| {
        let mut tubing = Vec::new();
        for (id, amount) in &scenario.kit {
            if let Some(spec) = catalog.part(id) {
                // Caps and clamps go on ports and tubes, not on the canvas: they are counted, not placed.
                if matches!(spec.kind, PartKind::Cap | PartKind::TubingClamp) {
                    continue;
                }
                let on_shelf = match amount {
                    KitAmount::Count(n) => *n,
                    KitAmount::LengthM(_) => 0,
                };
                let left = on_shelf.saturating_sub(usage.counts.get(id).copied().unwrap_or(0));
                let response = part_entry(ui, spec, left, editable, intents);
                if std::mem::take(&mut focus_first) {
                    response.request_focus();
                }
            } else if let (Some(spec), KitAmount::LengthM(length)) = (catalog.tubing(id), amount) {
                tubing.push((spec.name.clone(), length - usage.lengths_m.get(id).copied().unwrap_or(0.0)));
            }
        }
        if !tubing.is_empty() {
            ui.add_space(8.0);
            ui.label(RichText::new("Tubing (metres left)").strong());
            for (name, left) in tubing {
                ui.horizontal(|ui| {
                    ui.label(name);
                    ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                        let text = RichText::new(format!("{left:.1} m"));
                        ui.label(if left < 0.0 { text.color(ui.visuals().error_fg_color) } else { text });
                    });
                });
            }
        }
        let accessories: Vec<String> = scenario
            .kit
            .iter()
            .filter_map(|(id, amount)| {
                let spec = catalog.part(id)?;
                let left = match amount {
                    KitAmount::Count(n) => n.saturating_sub(usage.counts.get(id).copied().unwrap_or(0)),
                    KitAmount::LengthM(_) => 0,
                };
                matches!(spec.kind, PartKind::Cap | PartKind::TubingClamp).then(|| format!("{} × {left}", spec.name))
            })
            .collect();
        if !accessories.is_empty() {
            ui.add_space(8.0);
            ui.label(RichText::new("On ports and tubes").strong());
            for line in accessories {
                ui.label(line);
            }
        }
    });
}

fn part_entry(
    ui: &mut egui::Ui,
    spec: &PartSpec,
    left: u32,
    editable: bool,
    intents: &mut Vec<Intent>,
) -> egui::Response {
    let width = ui.available_width();
    let enabled = editable && left > 0;
    let name_colour = if enabled { ui.visuals().text_color() } else { ui.visuals().weak_text_color() };
    // A long name wraps and its row grows with it, so names never run into the next row on a narrow panel.
    let text_left = 4.0 + ICON * 1.3 + 8.0;
    let galley = ui.painter().layout(
        spec.name.clone(),
        egui::FontId::proportional(13.0),
        name_colour,
        (width - text_left - 34.0).max(40.0),
    );
    let height = (ICON + 8.0).max(galley.size().y + 6.0);
    let (rect, response) = ui.allocate_exact_size(vec2(width, height), Sense::click_and_drag());
    let label = format!("{} ({left} left)", spec.name);
    response.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Button, enabled, &label));
    if enabled {
        if response.drag_started() {
            response.dnd_set_drag_payload(spec.id.clone());
        }
        if response.clicked() {
            intents.push(Intent::Place { catalog_id: spec.id.clone(), at: None, on_tube: None });
        }
    } else if response.clicked() {
        intents.push(Intent::Refuse(if editable {
            format!("No {} left on the shelf.", spec.name)
        } else {
            "Stop the run to add parts.".to_owned()
        }));
    }
    let visuals = ui.visuals();
    let fill = if response.hovered() && enabled { visuals.widgets.hovered.bg_fill } else { visuals.faint_bg_color };
    let painter = ui.painter();
    // A kit entry reached by Tab shows the same ring as every other focused control (Enter places the part).
    let ring = if response.has_focus() { Stroke::new(2.0, visuals.selection.stroke.color) } else { Stroke::NONE };
    painter.rect(rect, CornerRadius::same(4), fill, ring, StrokeKind::Inside);
    let icon_rect =
        egui::Rect::from_min_size(egui::pos2(rect.min.x + 4.0, rect.center().y - ICON / 2.0), vec2(ICON * 1.3, ICON));
    let dim = |c: Color32| if enabled { c } else { c.gamma_multiply(0.4) };
    let style = IconStyle {
        line: dim(visuals.text_color()),
        body: dim(visuals.extreme_bg_color),
        accent: dim(Color32::from_rgb(200, 60, 70)),
        reversed: false,
        level: None,
        mirrored: false,
    };
    icons::paint_part(painter, icon_rect, &spec.kind, &style);
    let text_pos = egui::pos2(icon_rect.right() + 8.0, rect.center().y);
    painter.galley(text_pos - vec2(0.0, galley.size().y / 2.0), galley, name_colour);
    painter.text(
        rect.right_center() - vec2(6.0, 0.0),
        egui::Align2::RIGHT_CENTER,
        format!("×{left}"),
        egui::FontId::monospace(12.0),
        name_colour,
    );
    let tooltip = specs_text(spec);
    let response = response.on_hover_text(tooltip).on_hover_cursor(if enabled {
        egui::CursorIcon::Grab
    } else {
        egui::CursorIcon::NotAllowed
    });
    ui.add_space(2.0);
    response
}

/// A part's specifications in a few lines, for tooltips and the inspector.
pub fn specs_text(spec: &PartSpec) -> String {
    let mut lines = vec![spec.name.clone(), format!("Prime {:.0} mL", spec.prime_ml)];
    if let Some(range) = spec.rated_flow {
        lines.push(format!("Rated flow {:.1}–{:.1} L/min", range.min_l_min, range.max_l_min));
    }
    let ports: Vec<String> = spec.ports.iter().map(|p| format!("{} ({})", p.name.replace('_', " "), p.bore)).collect();
    if !ports.is_empty() {
        lines.push(format!("Ports: {}", ports.join(", ")));
    }
    lines.join("\n")
}
