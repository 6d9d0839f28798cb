//! Tubing on the canvas: each tube as a curve between its ports, coloured by the blood in it with particles moving
//! at the blood's true turnover while the pump runs, the clamp handle at its middle, and picking a tube by a click
//! near it.

use super::super::geometry;
use super::paint::{Palette, blood_colour, bore_width};
use super::{CanvasInput, CanvasState, DrawnPort, Intent, Selection};
use crate::catalog::Bore;
use crate::circuit::Tube;
use crate::ids::TubeId;
use eframe::egui::{self, Color32, CornerRadius, Pos2, Rect, Sense, Shape, Stroke, StrokeKind, Vec2, vec2};

/// Particles are drawn this far apart along a tube, screen points.
const PARTICLE_GAP: f32 = 18.0;
/// A particle never jumps more than this share of the gap in one frame: faster flow would strobe (appear to stand
/// still or run backwards), so beyond it the dots move at this cap and the speed shows in the flow figures.
const MAX_STEP_OF_GAP: f32 = 0.45;
/// How close to a tube a click selects it, screen points.
const TUBE_PICK_DISTANCE: f32 = 6.0;

/// Draws every tube (under the parts) with its clamp handle; returns each tube's curve on the screen.
pub fn tubes_ui(
    ui: &mut egui::Ui,
    painter: &egui::Painter,
    state: &mut CanvasState,
    input: &CanvasInput,
    colours: &Palette,
    ports: &[DrawnPort],
    intents: &mut Vec<Intent>,
) -> Vec<(TubeId, Vec<Pos2>)> {
    let mut curves = Vec::new();
    for tube in input.circuit.tubes() {
        let (Some(a), Some(b)) = (ports.iter().find(|d| d.port == tube.from), ports.iter().find(|d| d.port == tube.to))
        else {
            continue;
        };
        let curve = geometry::tube_curve(a.pos, a.side, b.pos, b.side);
        let (vertices, lengths) = geometry::polyline(&curve, 24);
        paint_tube(painter, state, input, colours, tube, &vertices, &lengths);
        let mid = geometry::point_at(&vertices, &lengths, lengths.last().copied().unwrap_or(0.0) / 2.0);
        clamp_handle(ui, painter, input, colours, tube, mid, intents);
        curves.push((tube.id, vertices));
    }
    curves
}

/// The tube nearest `pointer`, if one is close enough to be meant.
pub fn tube_at(curves: &[(TubeId, Vec<Pos2>)], pointer: Pos2) -> Option<TubeId> {
    curves
        .iter()
        .map(|(id, vertices)| (*id, geometry::distance_to_polyline(vertices, pointer)))
        .filter(|(_, d)| *d <= TUBE_PICK_DISTANCE)
        .min_by(|a, b| a.1.total_cmp(&b.1))
        .map(|(id, _)| id)
}

#[allow(clippy::too_many_arguments)]
fn paint_tube(
    painter: &egui::Painter,
    state: &mut CanvasState,
    input: &CanvasInput,
    colours: &Palette,
    tube: &Tube,
    vertices: &[Pos2],
    lengths: &[f32],
) {
    let bore = input.catalog.tubing(&tube.tubing).map_or(Bore::Any, |t| t.bore);
    let width = (bore_width(bore) * state.view.zoom).clamp(1.5, 12.0);
    let blood = input.run.and_then(|run| run.simulation().tube_blood(tube.id));
    let colour = blood.map_or(colours.tube, |b| blood_colour(b.hb_g_dl, b.sat));
    let selected = input.selection == Selection::Tube(tube.id);
    let highlighted = input.highlight_tubes.contains(&tube.id);
    if selected || highlighted {
        let glow = if highlighted { colours.highlight } else { colours.selected };
        painter.add(Shape::line(vertices.to_vec(), Stroke::new(width + 6.0, glow)));
    }
    // The tube wall, then the lumen.
    painter.add(Shape::line(vertices.to_vec(), Stroke::new(width + 2.0, colours.line.gamma_multiply(0.6))));
    painter.add(Shape::line(vertices.to_vec(), Stroke::new(width, colour)));

    if let Some(run) = input.run {
        fault_signs(painter, run, colours, tube, vertices, lengths, width);
    }
    let (Some(run), Some(blood)) = (input.run, blood) else { return };
    let total = lengths.last().copied().unwrap_or(0.0);
    if total < PARTICLE_GAP {
        return;
    }
    let turnover = run.simulation().tube_turnover_per_s(tube.id).unwrap_or(0.0);
    let shift_gaps = (turnover * input.model_dt_s) as f32 * total / PARTICLE_GAP;
    let shift_gaps = shift_gaps.clamp(-MAX_STEP_OF_GAP, MAX_STEP_OF_GAP);
    let phase = state.phases.entry(tube.id).or_insert(0.0);
    *phase = (*phase + shift_gaps).rem_euclid(1.0);
    let air = blood.air > 0.01;
    let dot = if air { Color32::WHITE } else { colour.lerp_to_gamma(Color32::WHITE, 0.45) };
    let radius = if air { (width * 0.45).max(2.0) } else { (width * 0.22).max(1.0) };
    let mut s = *phase * PARTICLE_GAP;
    while s < total {
        let p = geometry::point_at(vertices, lengths, s);
        if air {
            painter.circle(p, radius, Color32::from_white_alpha(200), Stroke::new(1.0, Color32::from_gray(90)));
        } else {
            painter.circle_filled(p, radius, dot);
        }
        s += PARTICLE_GAP;
    }
}

/// What a fault acting on this tube looks like at the pump, without naming it: a kink pinches the line a quarter
/// of the way along, a line come apart shows a gap and blood at its cannula end, air getting in froths there, an
/// open port on the pressurised side spurts blood.
fn fault_signs(
    painter: &egui::Painter,
    run: &crate::session::Run,
    colours: &Palette,
    tube: &Tube,
    vertices: &[Pos2],
    lengths: &[f32],
    width: f32,
) {
    use crate::scenario::FaultKind;
    use crate::sim::Place;
    let total = lengths.last().copied().unwrap_or(0.0);
    let along = |s: f32| {
        let p = geometry::point_at(vertices, lengths, s.clamp(0.0, total));
        let ahead = geometry::point_at(vertices, lengths, (s + 2.0).clamp(0.0, total));
        let direction = (ahead - p).normalized();
        (p, vec2(-direction.y, direction.x))
    };
    let simulation = run.simulation();
    for (fired, place) in simulation.faults_acting() {
        if place != Some(Place::Tube(tube.id)) {
            continue;
        }
        match fired.kind {
            FaultKind::LineKink { .. } => {
                // A sharp fold: the line zig-zags across itself.
                let (p, normal) = along(total * 0.25);
                let tangent = vec2(normal.y, -normal.x);
                let half = width + 5.0;
                let points = vec![
                    p - tangent * 6.0 + normal * half,
                    p - tangent * 2.0 - normal * half,
                    p + tangent * 2.0 + normal * half,
                    p + tangent * 6.0 - normal * half,
                ];
                painter.add(Shape::line(points, Stroke::new(2.5, colours.line)));
            }
            FaultKind::VenousDisconnection | FaultKind::Disconnection { .. } => {
                // The joint at the cannula end is apart: a gap, and blood spilling from it.
                let (p, normal) = along(6.0);
                painter.line_segment(
                    [p - normal * (width + 4.0), p + normal * (width + 4.0)],
                    Stroke::new(6.0, colours.body),
                );
                for k in 0..3 {
                    let drop = p + normal * (width + 6.0 + 5.0 * k as f32);
                    painter.circle_filled(drop, 2.5, Color32::from_rgb(150, 20, 20));
                }
            }
            FaultKind::PortOpen { line: crate::scenario::LineRole::Arterial } => {
                // An open port on a pressurised line spurts blood.
                for k in 0..4 {
                    let (p, normal) = along(8.0);
                    painter.circle_filled(
                        p + normal * (width + 4.0 + 5.0 * k as f32),
                        2.5,
                        Color32::from_rgb(150, 20, 20),
                    );
                }
            }
            FaultKind::AirEntry { .. } | FaultKind::PortOpen { .. } => {
                // Froth where the air gets in.
                for k in 0..5 {
                    let (p, normal) = along(4.0 + 4.0 * k as f32);
                    let offset = if k % 2 == 0 { width * 0.6 } else { -width * 0.6 };
                    painter.circle(
                        p + normal * offset,
                        2.5,
                        Color32::from_white_alpha(220),
                        Stroke::new(0.8, Color32::from_gray(90)),
                    );
                }
            }
            _ => {}
        }
    }
}

/// The mark at a tube's middle: a click selects the tube (as a click on its body does), and the clamp is set in the
/// inspector or from this mark's context menu (right click), never by a stray click. A clamp on is drawn as two
/// jaws; the mark shows as a small square when hovered or selected.
fn clamp_handle(
    ui: &mut egui::Ui,
    painter: &egui::Painter,
    input: &CanvasInput,
    colours: &Palette,
    tube: &Tube,
    at: Pos2,
    intents: &mut Vec<Intent>,
) {
    let size = 12.0;
    let rect = Rect::from_center_size(at, Vec2::splat(size));
    let name = format!("Select tube {}", tube.id.0);
    let response = ui.interact(rect, egui::Id::unique(("clamp", tube.id)), Sense::click());
    response.widget_info(|| {
        egui::WidgetInfo::selected(egui::Role::Button, true, input.selection == Selection::Tube(tube.id), &name)
    });
    if response.clicked() {
        intents.push(Intent::Select(Selection::Tube(tube.id)));
    }
    let hovered = response.hovered() || response.has_focus();
    let clamp = if tube.clamped { "Take the clamp off" } else { "Clamp this line" };
    response.context_menu(|ui| {
        if ui.button(clamp).clicked() {
            intents.push(Intent::Edit(crate::circuit::Edit::SetClamp { tube: tube.id, clamped: !tube.clamped }));
            ui.close();
        }
    });
    if hovered {
        egui::Tooltip::always_open(
            ui.ctx().clone(),
            ui.layer_id(),
            egui::Id::unique(("clamp_tip", tube.id)),
            egui::PopupAnchor::Pointer,
        )
        .show(|ui| {
            ui.label(format!(
                "{}\n{}: click to select it; right click to {}",
                super::super::tube_name(input.labels, tube),
                if tube.clamped { "Clamped" } else { "Open" },
                clamp.to_lowercase()
            ));
        });
    }
    if tube.clamped {
        // Two jaws across the line.
        let jaw = Stroke::new(3.0, colours.highlight);
        painter.line_segment([at + vec2(-8.0, -9.0), at + vec2(8.0, 9.0)], jaw);
        painter.line_segment([at + vec2(-8.0, 9.0), at + vec2(8.0, -9.0)], jaw);
    } else if hovered || input.selection == Selection::Tube(tube.id) {
        painter.rect_stroke(rect, CornerRadius::same(2), Stroke::new(1.5, colours.line), StrokeKind::Inside);
    }
}
