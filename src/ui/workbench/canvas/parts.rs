//! Parts on the canvas: each drawn as its device icon with its label and, while the pump runs, its reading (a
//! transducer's pressure, a pump's flow, a reservoir's volume); pressed to select, dragged to move.

use super::super::geometry::{self, Orientation};
use super::super::icons;
use super::captions::{self, Caption, Rank};
use super::paint::Palette;
use super::{CanvasInput, CanvasState, DrawnPort, Gesture, Intent, Selection};
use crate::circuit::{CanvasPos, Controls, Edit, PlacedPart, PumpDirection};
use eframe::egui::{self, CornerRadius, FontId, Pos2, Rect, Sense, Stroke, StrokeKind, Vec2};

/// Draws every part and turns presses and drags on them into gestures and intents. `port_at` finds the port within
/// a radius of a point: a press on one lays a tube rather than moving the part.
#[allow(clippy::too_many_arguments)]
pub fn parts_ui<'p>(
    ui: &mut egui::Ui,
    painter: &egui::Painter,
    state: &mut CanvasState,
    input: &CanvasInput,
    colours: &Palette,
    rect: Rect,
    ports: &'p [DrawnPort],
    port_at: &dyn Fn(Pos2, f32) -> Option<&'p DrawnPort>,
    port_radius: f32,
    intents: &mut Vec<Intent>,
) {
    let mut captions = Vec::new();
    let mut part_rects = Vec::new();
    for part in input.circuit.parts() {
        let Some(spec) = input.catalog.part(&part.catalog_id) else { continue };
        let part_rect =
            geometry::part_rect(&state.view, rect, shown_pos(state, part), &spec.kind, Orientation::of(part));
        part_rects.push(part_rect);
        let label = input.labels.get(&part.id).cloned().unwrap_or_default();
        let response = ui.interact(part_rect, egui::Id::unique(("part", part.id)), Sense::click_and_drag());
        let is_selected = input.selection == Selection::Part(part.id);
        if std::mem::take(&mut state.focus_first_part) {
            response.request_focus();
        }
        response.widget_info(|| egui::WidgetInfo::selected(egui::Role::Button, true, is_selected, &label));
        if response.drag_started() {
            // A press on a port that sits on the part's edge lays a tube, whichever widget took the press.
            let press = ui.input(|i| i.pointer.press_origin());
            state.gesture = match press.and_then(|p| port_at(p, port_radius * 1.4)) {
                Some(port) => Gesture::LayingTube { from: port.port.clone() },
                None => {
                    intents.push(Intent::Select(Selection::Part(part.id)));
                    Gesture::MovingPart { part: part.id, by: Vec2::ZERO }
                }
            };
        }
        if response.dragged()
            && let Gesture::MovingPart { by, .. } = &mut state.gesture
        {
            *by += response.drag_delta() / state.view.zoom;
        }
        if response.drag_stopped()
            && let Gesture::MovingPart { part: id, by } = std::mem::take(&mut state.gesture)
            && by.length() > 0.5
        {
            let p = part.pos_in_canvas;
            intents.push(Intent::Edit(Edit::MovePart { part: id, to: CanvasPos { x: p.x + by.x, y: p.y + by.y } }));
        }
        if response.clicked() {
            intents.push(Intent::Select(Selection::Part(part.id)));
        }
        // The keyboard's place: a part reached by Tab shows a ring (Enter selects it, the arrows then move it).
        let focused = response.has_focus();
        response.context_menu(|ui| {
            let words = if part.flipped { "Flip back (F)" } else { "Flip left to right (F)" };
            if ui.button(words).clicked() {
                intents.push(Intent::Edit(Edit::SetFlipped { part: part.id, flipped: !part.flipped }));
                ui.close();
            }
            if ui.button("Turn 90° clockwise (R)").clicked() {
                let rotation_deg = part.rotation_deg.clockwise();
                intents.push(Intent::Edit(Edit::SetRotation { part: part.id, rotation_deg }));
                ui.close();
            }
            if ui.button("Turn 90° anticlockwise (Shift+R)").clicked() {
                let rotation_deg = part.rotation_deg.anticlockwise();
                intents.push(Intent::Edit(Edit::SetRotation { part: part.id, rotation_deg }));
                ui.close();
            }
            if ui.button("Name it…").clicked() {
                intents.push(Intent::Select(Selection::Part(part.id)));
                intents.push(Intent::ShowTab(super::super::Tab::Inspector));
                ui.close();
            }
            if ui.button("Remove (Del)").clicked() {
                intents.push(Intent::Edit(Edit::RemovePart { part: part.id }));
                ui.close();
            }
        });
        // Tooltips are worded only when shown: the canvas draws every frame while a run goes.
        response.on_hover_ui(|ui| {
            ui.label(format!("{label}: {}", spec.name));
        });
        if focused {
            let ring = ui.visuals().selection.stroke;
            painter.rect_stroke(
                part_rect.expand(7.0),
                CornerRadius::same(8),
                Stroke::new(2.0, ring.color),
                StrokeKind::Outside,
            );
        }
        let outline = if input.highlight_parts.contains(&part.id) {
            Some(colours.highlight)
        } else {
            is_selected.then_some(colours.selected)
        };
        paint_part(painter, input, colours, part, part_rect, outline);
        let rank = if outline.is_some() {
            Rank::Selected
        } else if is_main_device(&spec.kind) {
            Rank::MainDevice
        } else {
            Rank::Fitting
        };
        captions.push(Caption { text: label, part: part_rect, rank });
        if let Some(reading) =
            input.run.and_then(|run| super::super::run::reading_for(run, input.circuit, input.catalog, part.id))
        {
            captions.push(Caption { text: reading, part: part_rect, rank: Rank::Reading });
        }
    }
    let font = FontId::proportional((11.0 * state.view.zoom).clamp(9.0, 13.0));
    // Names keep off the ports too, which are what a hand reaches for.
    let mut obstacles = part_rects;
    obstacles.extend(ports.iter().map(|d| Rect::from_center_size(d.pos, Vec2::splat(port_radius * 2.0))));
    captions::paint(painter, captions, &obstacles, rect, font, colours);
}

/// What ties parts together besides tubing, drawn under them: a sensor's safety link to the pump it stops (dashed)
/// and a device mounted on its host (solid), so a link left out shows as a missing line.
pub fn links(painter: &egui::Painter, state: &CanvasState, input: &CanvasInput, colours: &Palette, rect: Rect) {
    let centre = |id: crate::ids::PartId| {
        let part = input.circuit.part(id)?;
        input.catalog.part(&part.catalog_id)?;
        Some(state.view.screen_from_canvas(rect, shown_pos(state, part)))
    };
    for part in input.circuit.parts() {
        let Some(from) = centre(part.id) else { continue };
        if let Some(to) = part.servo_to.and_then(centre) {
            let stroke = Stroke::new(1.5, colours.accent.gamma_multiply(0.8));
            painter.extend(egui::Shape::dashed_line(&[from, to], stroke, 6.0, 4.0));
        }
        if let Some(to) = part.mounted_on.and_then(centre) {
            painter.line_segment([from, to], Stroke::new(2.0, colours.weak));
        }
    }
}

/// A part's icon, fault signs and outline (its name and reading are laid out with the others', `captions`).
fn paint_part(
    painter: &egui::Painter,
    input: &CanvasInput,
    colours: &Palette,
    part: &PlacedPart,
    part_rect: Rect,
    outline: Option<egui::Color32>,
) {
    let Some(spec) = input.catalog.part(&part.catalog_id) else { return };
    let style = icons::IconStyle {
        line: colours.line,
        body: colours.body,
        accent: colours.accent,
        reversed: matches!(part.controls, Controls::Pump { direction: PumpDirection::Reverse, .. }),
        level: input.run.and_then(|run| super::super::run::reservoir_fill(run, input.circuit, input.catalog, part.id)),
        mirrored: part.flipped,
    };
    // The icon is drawn upright in its own box, then turned with the part.
    let upright = Rect::from_center_size(part_rect.center(), Orientation::of(part).size(part_rect.size()));
    icons::paint_part_turned(painter, upright, &spec.kind, &style, part.rotation_deg);
    if let Some(run) = input.run {
        fault_signs(painter, run, part, part_rect);
    }
    if let Some(colour) = outline {
        painter.rect_stroke(
            part_rect.expand(4.0),
            CornerRadius::same(6),
            Stroke::new(2.0, colour),
            StrokeKind::Outside,
        );
    }
}

/// What a fault acting on this part looks like at the pump, without naming it: blood dripping from a leaking device
/// or from where a cannula came out, dark specks of clot in a device.
fn fault_signs(painter: &egui::Painter, run: &crate::session::Run, part: &PlacedPart, rect: Rect) {
    use crate::scenario::FaultKind;
    let blood = egui::Color32::from_rgb(150, 20, 20);
    for (fired, place) in run.simulation().faults_acting() {
        if place != Some(crate::sim::Place::Part(part.id)) {
            continue;
        }
        match fired.kind {
            FaultKind::Leak { .. } | FaultKind::Decannulation { .. } => {
                for k in 0..4 {
                    let x = rect.left() + rect.width() * (0.3 + 0.15 * k as f32);
                    painter.circle_filled(egui::pos2(x, rect.bottom() + 4.0 + 4.0 * (k % 2) as f32), 2.5, blood);
                }
            }
            FaultKind::Clot { .. } => {
                for k in 0..6 {
                    let x = rect.left() + rect.width() * (0.2 + 0.12 * k as f32);
                    let y = rect.top() + rect.height() * (0.3 + 0.1 * (k % 3) as f32);
                    painter.circle_filled(egui::pos2(x, y), 1.8, egui::Color32::from_rgb(60, 10, 10));
                }
            }
            _ => {}
        }
    }
}

/// Where a part is drawn this frame: where it is, or where it is being dragged to.
pub fn shown_pos(state: &CanvasState, part: &PlacedPart) -> CanvasPos {
    match state.gesture {
        Gesture::MovingPart { part: moving, by } if moving == part.id => {
            CanvasPos { x: part.pos_in_canvas.x + by.x, y: part.pos_in_canvas.y + by.y }
        }
        _ => part.pos_in_canvas,
    }
}

fn is_main_device(kind: &crate::catalog::PartKind) -> bool {
    use crate::catalog::PartKind;
    matches!(
        kind,
        PartKind::RollerPump { .. }
            | PartKind::CentrifugalPump { .. }
            | PartKind::Oxygenator { .. }
            | PartKind::Reservoir { .. }
            | PartKind::Cannula { .. }
            | PartKind::ArterialFilter { .. }
            | PartKind::CardioplegiaSet { .. }
    )
}
