//! A vector icon for each kind of part, drawn into any rectangle: the same drawing serves the palette (small) and
//! the canvas (at the view's zoom).

use crate::catalog::{CannulaRole, PartKind};
use crate::circuit::QuarterTurns;
use eframe::egui::layers::ShapeIdx;
use eframe::egui::{Color32, CornerRadius, Painter, Pos2, Rect, Shape, Stroke, StrokeKind, Vec2, pos2, vec2};
use std::f32::consts::{PI, TAU};

/// Colours and state an icon is drawn with.
#[derive(Debug, Clone, Copy)]
pub struct IconStyle {
    pub line: Color32,
    pub body: Color32,
    /// Blood, water or the highlight inside a device.
    pub accent: Color32,
    /// A pump turning backwards draws its arrow backwards.
    pub reversed: bool,
    /// A reservoir's fill, 0..1, where known.
    pub level: Option<f32>,
    /// Drawn mirrored left to right (a flipped part): its flow runs right to left.
    pub mirrored: bool,
}

/// Paints the icon upright into `upright` (the part's box before turning), then turns what was painted clockwise
/// about the box's centre. Quarter turns keep boxes axis-aligned and circles round, so every shape turns exactly.
pub fn paint_part_turned(painter: &Painter, upright: Rect, kind: &PartKind, style: &IconStyle, turns: QuarterTurns) {
    let first = painter.add(Shape::Noop);
    paint_part(painter, upright, kind, style);
    if turns.is_upright() {
        return;
    }
    let end = painter.add(Shape::Noop);
    let centre = upright.center();
    painter.ctx().graphics_mut(|graphics| {
        let list = graphics.entry(painter.layer_id());
        for index in first.0..end.0 {
            list.mutate_shape(ShapeIdx(index), |clipped| {
                for _ in 0..turns.count() {
                    turn_clockwise(&mut clipped.shape, centre);
                }
            });
        }
    });
}

/// Turns a shape a quarter clockwise on the screen (y down) about `centre`.
fn turn_clockwise(shape: &mut Shape, centre: Pos2) {
    let turn = |p: Pos2| centre + vec2(centre.y - p.y, p.x - centre.x);
    match shape {
        Shape::Vec(shapes) => shapes.iter_mut().for_each(|shape| turn_clockwise(shape, centre)),
        Shape::Circle(circle) => circle.center = turn(circle.center),
        Shape::Ellipse(ellipse) => {
            ellipse.center = turn(ellipse.center);
            ellipse.radius = vec2(ellipse.radius.y, ellipse.radius.x);
        }
        Shape::LineSegment { points, .. } => points.iter_mut().for_each(|p| *p = turn(*p)),
        Shape::Path(path) => path.points.iter_mut().for_each(|p| *p = turn(*p)),
        Shape::Rect(rect) => rect.rect = Rect::from_two_pos(turn(rect.rect.min), turn(rect.rect.max)),
        Shape::Mesh(mesh) => std::sync::Arc::make_mut(mesh).vertices.iter_mut().for_each(|v| v.pos = turn(v.pos)),
        Shape::QuadraticBezier(bezier) => bezier.points.iter_mut().for_each(|p| *p = turn(*p)),
        Shape::CubicBezier(bezier) => bezier.points.iter_mut().for_each(|p| *p = turn(*p)),
        // Icons draw no text, bands or callbacks.
        Shape::Noop | Shape::Text(_) | Shape::Band(_) | Shape::Callback(_) => {}
    }
}

pub fn paint_part(painter: &Painter, rect: Rect, kind: &PartKind, style: &IconStyle) {
    let s = rect.width().min(rect.height());
    let stroke = Stroke::new((s / 36.0).clamp(1.0, 2.5), style.line);
    let thin = Stroke::new(stroke.width * 0.6, style.line);
    let c = rect.center();
    let round = CornerRadius::same((s / 8.0).clamp(2.0, 10.0) as u8);
    // Points of the drawings whose left and right differ (a cannula's tip, a valve's arrow) go through this.
    let mx = |p: Pos2| if style.mirrored { pos2(rect.left() + rect.right() - p.x, p.y) } else { p };
    match kind {
        PartKind::RollerPump { .. } | PartKind::CentrifugalPump { .. } => {
            let r = s * 0.42;
            painter.circle(c, r, style.body, stroke);
            if matches!(kind, PartKind::RollerPump { .. }) {
                // Rotor arm with a roller at each end.
                let arm = vec2(r * 0.62, -r * 0.36);
                painter.line_segment([c - arm, c + arm], stroke);
                for end in [c - arm, c + arm] {
                    painter.circle(end, r * 0.17, style.accent, thin);
                }
            } else {
                // Impeller vanes.
                for i in 0..3 {
                    let a = i as f32 * TAU / 3.0;
                    let points: Vec<Pos2> =
                        (0..=6).map(|k| c + polar(r * (0.15 + 0.11 * k as f32), a + 0.18 * k as f32)).collect();
                    painter.add(Shape::line(points, thin));
                }
                painter.circle_filled(c, r * 0.12, style.accent);
            }
            direction_arrow(painter, c, r * 0.78, style.reversed != style.mirrored, stroke);
        }
        PartKind::Oxygenator { .. } => {
            let body = rect.shrink2(vec2(s * 0.12, s * 0.04));
            painter.rect(body, round, style.body, stroke, StrokeKind::Inside);
            // Hollow fibres.
            for i in 1..6 {
                let y = body.top() + body.height() * i as f32 / 6.0;
                painter.line_segment([pos2(body.left() + 4.0, y), pos2(body.right() - 4.0, y)], thin);
            }
            let band = Rect::from_min_max(
                pos2(body.left(), body.bottom() - body.height() * 0.22),
                pos2(body.right(), body.bottom()),
            );
            painter.rect_filled(band.shrink(stroke.width), round, style.accent.gamma_multiply(0.5));
        }
        PartKind::Reservoir { .. } => {
            let top = rect.top() + s * 0.06;
            let bottom = rect.bottom() - s * 0.04;
            let (lt, rt) = (rect.left() + s * 0.08, rect.right() - s * 0.08);
            let (lb, rb) = (rect.left() + s * 0.22, rect.right() - s * 0.22);
            let level = style.level.unwrap_or(0.3).clamp(0.0, 1.0);
            let y = bottom - (bottom - top) * level;
            let at = |y: f32| {
                let f = (y - top) / (bottom - top);
                (lt + (lb - lt) * f, rt + (rb - rt) * f)
            };
            let (l, r) = at(y);
            painter.add(Shape::convex_polygon(
                vec![pos2(l, y), pos2(r, y), pos2(rb, bottom), pos2(lb, bottom)],
                style.accent,
                Stroke::NONE,
            ));
            painter.add(Shape::closed_line(
                vec![pos2(lt, top), pos2(rt, top), pos2(rb, bottom), pos2(lb, bottom)],
                stroke,
            ));
        }
        PartKind::ArterialFilter { .. } | PartKind::Haemoconcentrator => {
            let body = rect.shrink2(vec2(s * 0.08, s * 0.02));
            painter.rect(body, CornerRadius::same((body.width() / 2.0) as u8), style.body, stroke, StrokeKind::Inside);
            // Pleated screen.
            let points: Vec<Pos2> = (0..=8)
                .map(|i| {
                    let y = body.top() + body.height() * (0.15 + 0.7 * i as f32 / 8.0);
                    let x =
                        if i % 2 == 0 { body.left() + body.width() * 0.3 } else { body.right() - body.width() * 0.3 };
                    pos2(x, y)
                })
                .collect();
            painter.add(Shape::line(points, thin));
        }
        PartKind::HeaterCooler { .. } => {
            painter.rect(rect.shrink(s * 0.06), round, style.body, stroke, StrokeKind::Inside);
            for i in 0..3 {
                let y = rect.top() + rect.height() * (0.32 + 0.18 * i as f32);
                let points: Vec<Pos2> = (0..=12)
                    .map(|k| {
                        let x = rect.left() + rect.width() * (0.18 + 0.64 * k as f32 / 12.0);
                        pos2(x, y + (k as f32 * PI / 3.0).sin() * s * 0.04)
                    })
                    .collect();
                painter.add(Shape::line(points, Stroke::new(thin.width, style.accent)));
            }
        }
        PartKind::CardioplegiaSet { .. } => {
            painter.rect(rect.shrink(s * 0.06), round, style.body, stroke, StrokeKind::Inside);
            heart(painter, c, s * 0.26, style.accent);
        }
        PartKind::Cannula { role, .. } => {
            // A tapered tube: the tip (patient end) on the left, the connector on the right. What it is for shows at
            // the tip: a drainage cannula's side holes (in two groups on a two-stage), a return cannula's single
            // end hole with blood leaving it, a dual-lumen cannula's septum.
            let h = rect.height();
            let points = vec![
                pos2(rect.left() + 2.0, c.y - h * 0.08),
                pos2(rect.right() - h * 0.3, c.y - h * 0.3),
                pos2(rect.right() - 2.0, c.y - h * 0.3),
                pos2(rect.right() - 2.0, c.y + h * 0.3),
                pos2(rect.right() - h * 0.3, c.y + h * 0.3),
                pos2(rect.left() + 2.0, c.y + h * 0.08),
            ];
            painter.add(Shape::convex_polygon(points.into_iter().map(mx).collect(), style.body, stroke));
            let hole = |share: f32| {
                painter.circle_filled(mx(pos2(rect.left() + rect.width() * share, c.y)), h * 0.05, style.line);
            };
            match role {
                CannulaRole::VenousTwoStage => [0.08, 0.16, 0.42, 0.5, 0.58].into_iter().for_each(hole),
                CannulaRole::VenousSingleStage | CannulaRole::FemoralVenous => {
                    [0.18, 0.36, 0.54].into_iter().for_each(hole);
                }
                CannulaRole::DualLumenVv => {
                    let septum = [mx(pos2(rect.left() + 4.0, c.y)), mx(pos2(rect.right() - 4.0, c.y))];
                    painter.line_segment(septum, thin);
                    [0.2, 0.5].into_iter().for_each(hole);
                }
                CannulaRole::Arterial
                | CannulaRole::FemoralArterial
                | CannulaRole::VenousReturn
                | CannulaRole::DistalPerfusion => {
                    // Blood leaves by the end hole: a small chevron beyond the tip.
                    let tip = rect.left() + 2.0;
                    let chevron = [
                        mx(pos2(tip + h * 0.12, c.y - h * 0.16)),
                        mx(pos2(tip - h * 0.04, c.y)),
                        mx(pos2(tip + h * 0.12, c.y + h * 0.16)),
                    ];
                    painter.add(Shape::line(chevron.to_vec(), thin));
                }
            }
        }
        PartKind::CardiotomySucker | PartKind::LvVent => {
            let h = rect.height();
            painter.line_segment([pos2(rect.left() + 2.0, c.y + h * 0.25), pos2(rect.right() - 4.0, c.y)], stroke);
            painter.circle(pos2(rect.left() + 4.0, c.y + h * 0.25), h * 0.14, style.body, stroke);
        }
        PartKind::Connector { .. } => {
            painter.line_segment([pos2(rect.left() + 2.0, c.y), pos2(rect.right() - 2.0, c.y)], stroke);
            painter.circle(c, s * 0.16, style.body, stroke);
        }
        PartKind::LuerPort => {
            painter.line_segment([pos2(rect.left() + 2.0, c.y), pos2(rect.right() - 2.0, c.y)], stroke);
            painter.line_segment([c, pos2(c.x, rect.bottom() - 2.0)], stroke);
            painter.circle(c, s * 0.18, style.body, stroke);
        }
        PartKind::OneWayValve { .. } => {
            let w = s * 0.32;
            painter.line_segment([pos2(rect.left() + 2.0, c.y), pos2(rect.right() - 2.0, c.y)], stroke);
            painter.add(Shape::convex_polygon(
                [pos2(c.x - w * 0.6, c.y - w), pos2(c.x + w * 0.6, c.y), pos2(c.x - w * 0.6, c.y + w)]
                    .into_iter()
                    .map(mx)
                    .collect(),
                style.body,
                stroke,
            ));
            painter.line_segment([mx(pos2(c.x + w * 0.6, c.y - w)), mx(pos2(c.x + w * 0.6, c.y + w))], stroke);
        }
        PartKind::PressureTransducer => {
            let r = s * 0.4;
            painter.circle(c, r, style.body, stroke);
            for k in 0..5 {
                let a = PI * (0.8 + 0.35 * k as f32);
                painter.line_segment([c + polar(r * 0.72, a), c + polar(r * 0.9, a)], thin);
            }
            painter.line_segment([c, c + polar(r * 0.7, PI * 1.75)], stroke);
        }
        PartKind::BubbleDetector | PartKind::FlowProbe | PartKind::LevelSensor => {
            painter.rect(rect.shrink(s * 0.1), round, style.body, stroke, StrokeKind::Inside);
            if matches!(kind, PartKind::BubbleDetector) {
                for (dx, dy, r) in [(-0.18, 0.05, 0.1), (0.02, -0.1, 0.07), (0.2, 0.06, 0.08)] {
                    painter.circle_stroke(c + vec2(dx, dy) * rect.width(), r * s, thin);
                }
            } else if matches!(kind, PartKind::FlowProbe) {
                direction_line(painter, c, rect.width() * 0.28, stroke);
            } else {
                painter.line_segment([pos2(rect.left() + s * 0.2, c.y), pos2(rect.right() - s * 0.2, c.y)], stroke);
            }
        }
        PartKind::Cap | PartKind::TubingClamp => {
            painter.rect(rect.shrink(s * 0.2), round, style.body, stroke, StrokeKind::Inside);
        }
    }
}

fn polar(r: f32, angle: f32) -> Vec2 {
    vec2(angle.cos(), angle.sin()) * r
}

/// An arc with an arrowhead around a pump head, clockwise when forward.
fn direction_arrow(painter: &Painter, c: Pos2, r: f32, reversed: bool, stroke: Stroke) {
    let (start, sweep) = if reversed { (-0.35 * PI, -1.1 * PI) } else { (-0.65 * PI, 1.1 * PI) };
    let points: Vec<Pos2> = (0..=16).map(|k| c + polar(r, start + sweep * k as f32 / 16.0)).collect();
    let Some(&tip) = points.last() else { return };
    let end_angle = start + sweep;
    let tangent = polar(1.0, end_angle + sweep.signum() * PI / 2.0);
    let side = polar(1.0, end_angle);
    let head = r * 0.28;
    painter.add(Shape::line(points, stroke));
    painter.add(Shape::convex_polygon(
        vec![tip + tangent * head, tip - side * head * 0.55, tip + side * head * 0.55],
        stroke.color,
        Stroke::NONE,
    ));
}

/// A straight arrow left to right.
fn direction_line(painter: &Painter, c: Pos2, half: f32, stroke: Stroke) {
    let (a, b) = (c - vec2(half, 0.0), c + vec2(half, 0.0));
    painter.line_segment([a, b], stroke);
    let head = half * 0.45;
    painter.add(Shape::convex_polygon(
        vec![b + vec2(head * 0.3, 0.0), b - vec2(head, head * 0.6), b - vec2(head, -head * 0.6)],
        stroke.color,
        Stroke::NONE,
    ));
}

fn heart(painter: &Painter, c: Pos2, r: f32, color: Color32) {
    let points: Vec<Pos2> = (0..40)
        .map(|k| {
            let t = TAU * k as f32 / 40.0;
            let x = 16.0 * t.sin().powi(3);
            let y = 13.0 * t.cos() - 5.0 * (2.0 * t).cos() - 2.0 * (3.0 * t).cos() - (4.0 * t).cos();
            c + vec2(x, -y) * (r / 17.0)
        })
        .collect();
    painter.add(Shape::closed_line(points, Stroke::new((r / 8.0).max(1.0), color)));
}
