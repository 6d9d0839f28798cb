//! Ports on the canvas: where each is drawn, pressed to start laying a tube, and the tube being laid, which ends on
//! the port where the button is released.

use super::super::geometry::{self, Orientation, PortPlace, Side};
use super::paint::{Palette, paint_port, port_tooltip};
use super::parts::shown_pos;
use super::{CanvasInput, CanvasState, DrawnPort, Gesture, Intent, Selection};
use crate::catalog::Bore;
use crate::ids::PortRef;
use eframe::egui::{self, Color32, Pos2, Rect, Sense, Stroke, Vec2};

/// Every port's place on the screen this frame (a part being moved takes its ports with it).
pub fn drawn_ports(input: &CanvasInput, state: &CanvasState, rect: Rect) -> Vec<DrawnPort> {
    let mut out = Vec::new();
    for part in input.circuit.parts() {
        let Some(spec) = input.catalog.part(&part.catalog_id) else { continue };
        let centre = state.view.screen_from_canvas(rect, shown_pos(state, part));
        for PortPlace { name, dir, side, offset } in geometry::port_places(spec) {
            let orientation = Orientation::of(part);
            let (side, offset) = (orientation.side(side), orientation.offset(offset));
            let bore = spec.port(&name).map_or(Bore::Any, |p| p.bore);
            let port = PortRef::new(part.id, name);
            let free = input.circuit.tube_on(&port).is_none() && !part.capped.contains(&port.port);
            out.push(DrawnPort { port, pos: centre + offset * state.view.zoom, side, dir, bore, free });
        }
    }
    out
}

/// Draws the ports (on top of the parts, so they can be grabbed); a press on one starts laying a tube.
#[allow(clippy::too_many_arguments)]
pub fn ports_ui(
    ui: &mut egui::Ui,
    painter: &egui::Painter,
    state: &mut CanvasState,
    input: &CanvasInput,
    colours: &Palette,
    ports: &[DrawnPort],
    radius: f32,
    intents: &mut Vec<Intent>,
) {
    // While a tube is laid, every free port it could join (direction and bore) shows a ring: where to drop it.
    let laying_from = match &state.gesture {
        Gesture::LayingTube { from } => ports.iter().find(|d| &d.port == from),
        _ => None,
    };
    for drawn in ports {
        let label = format!(
            "{} {}",
            input.labels.get(&drawn.port.part).cloned().unwrap_or_default(),
            drawn.port.port.replace('_', " ")
        );
        let hit = Rect::from_center_size(drawn.pos, Vec2::splat(radius * 2.6));
        let response = ui.interact(hit, egui::Id::unique(("port", &drawn.port)), Sense::click_and_drag());
        response.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Button, true, &label));
        if response.drag_started() {
            state.gesture = Gesture::LayingTube { from: drawn.port.clone() };
        }
        if response.clicked() {
            intents.push(Intent::Select(Selection::Part(drawn.port.part)));
        }
        let connected = input.circuit.tube_on(&drawn.port).is_some();
        let capped = input.circuit.part(drawn.port.part).is_some_and(|p| p.capped.contains(&drawn.port.port));
        let hovered = response.hovered();
        response.on_hover_ui(|ui| {
            ui.label(port_tooltip(&label, drawn, connected, capped));
        });
        paint_port(painter, colours, drawn, radius, connected, capped, hovered);
        if laying_from.is_some_and(|from| from.could_join(drawn)) {
            painter.circle_stroke(drawn.pos, radius * 1.9, Stroke::new(2.0, colours.selected));
        }
    }
}

/// How far a port a tube could join pulls the tube's end, screen points: about a fingertip (among ports closer
/// together the nearest that fits wins). A layout choice.
const MAGNET_REACH_PX: f32 = 24.0;

/// The tube being laid: drawn to the pointer (or the port under it), and laid, or refused with why, where the button
/// is released.
#[allow(clippy::too_many_arguments)]
pub fn laying_tube_ui<'p>(
    ui: &egui::Ui,
    painter: &egui::Painter,
    state: &mut CanvasState,
    colours: &Palette,
    port_at: &dyn Fn(Pos2, f32) -> Option<&'p DrawnPort>,
    port_radius: f32,
    ports: &[DrawnPort],
    intents: &mut Vec<Intent>,
) {
    // A drop counts on a port within a generous reach of it; a port the tube could join pulls its end from farther
    // (magnetic), the nearest such port first, so a near miss still lands where it fits.
    let reach = port_radius * 2.2;
    let Gesture::LayingTube { from } = &state.gesture else { return };
    let start = ports.iter().find(|d| &d.port == from);
    let snap = |p: Pos2| -> Option<&DrawnPort> {
        let fitting = start.and_then(|start| {
            ports
                .iter()
                .filter(|d| start.could_join(d) && (d.pos - p).length() <= MAGNET_REACH_PX.max(reach))
                .min_by(|a, b| (a.pos - p).length().total_cmp(&(b.pos - p).length()))
        });
        fitting.or_else(|| port_at(p, reach))
    };
    let pointer = ui.input(|i| i.pointer.interact_pos());
    if ui.input(|i| i.pointer.any_released()) {
        let target = pointer.and_then(snap).map(|t| t.port.clone());
        let from = from.clone();
        state.gesture = Gesture::Idle;
        intents.push(match target {
            Some(target) if target == from => Intent::Refuse("A port cannot be joined to itself.".to_owned()),
            Some(target) => Intent::Connect { from, to: target },
            None => Intent::Refuse("Drop the tube on another part's port to connect it.".to_owned()),
        });
        return;
    }
    let (Some(start), Some(pointer)) = (start, pointer) else { return };
    let target = snap(pointer);
    let (end, end_side) = target.map_or((pointer, Side::Left), |t| (t.pos, t.side));
    if let Some(target) = target {
        // The port the end has snapped to, ringed boldly: let go here.
        painter.circle_stroke(target.pos, port_radius * 2.6, Stroke::new(3.0, colours.selected));
    }
    let curve = geometry::tube_curve(start.pos, start.side, end, end_side);
    let colour = if target.is_some() { colours.selected } else { colours.weak };
    painter.add(egui::epaint::CubicBezierShape::from_points_stroke(
        curve,
        false,
        Color32::TRANSPARENT,
        Stroke::new(3.0, colour),
    ));
}
