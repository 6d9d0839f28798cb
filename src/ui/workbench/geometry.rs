//! Where things sit on the canvas: each part's box by its kind, its ports around the box, the tube between two
//! ports, and the view that maps canvas units to screen points (pan and zoom).

use crate::catalog::{PartKind, PartSpec, PortDir};
use crate::circuit::{CanvasPos, PlacedPart, QuarterTurns};
use eframe::egui::{Pos2, Rect, Vec2, pos2, vec2};

/// Size of a part's box in canvas units: large devices larger, clip-on sensors small. Reference circuits space
/// parts 120 units apart, so no box is wider than 84.
pub fn part_size(kind: &PartKind) -> Vec2 {
    match kind {
        PartKind::Reservoir { .. } => vec2(78.0, 100.0),
        PartKind::Oxygenator { .. } => vec2(80.0, 96.0),
        PartKind::RollerPump { .. } => vec2(76.0, 76.0),
        PartKind::CentrifugalPump { .. } => vec2(66.0, 66.0),
        PartKind::ArterialFilter { .. } | PartKind::Haemoconcentrator => vec2(44.0, 78.0),
        PartKind::HeaterCooler { .. } | PartKind::CardioplegiaSet { .. } => vec2(76.0, 56.0),
        PartKind::Cannula { .. } => vec2(74.0, 34.0),
        PartKind::CardiotomySucker | PartKind::LvVent => vec2(70.0, 30.0),
        PartKind::Connector { .. } | PartKind::OneWayValve { .. } | PartKind::LuerPort => vec2(42.0, 32.0),
        PartKind::PressureTransducer | PartKind::LevelSensor => vec2(40.0, 40.0),
        PartKind::BubbleDetector | PartKind::FlowProbe => vec2(48.0, 34.0),
        PartKind::Cap | PartKind::TubingClamp => vec2(30.0, 30.0),
    }
}

/// The side of a part's box a port sits on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    Left,
    Right,
    Top,
    Bottom,
}

impl Side {
    /// Unit vector pointing out of the box.
    pub fn normal(self) -> Vec2 {
        match self {
            Side::Left => vec2(-1.0, 0.0),
            Side::Right => vec2(1.0, 0.0),
            Side::Top => vec2(0.0, -1.0),
            Side::Bottom => vec2(0.0, 1.0),
        }
    }
}

impl Side {
    /// The side a port is on when its part is drawn mirrored left to right.
    pub fn mirrored(self) -> Side {
        match self {
            Side::Left => Side::Right,
            Side::Right => Side::Left,
            other => other,
        }
    }

    /// The side a port is on when its part is turned a quarter clockwise.
    fn clockwise(self) -> Side {
        match self {
            Side::Left => Side::Top,
            Side::Top => Side::Right,
            Side::Right => Side::Bottom,
            Side::Bottom => Side::Left,
        }
    }
}

/// How a part is drawn: mirrored left to right, then turned clockwise by quarter turns. Its box, its ports and its
/// icon all go through this, so the three agree.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Orientation {
    pub flipped: bool,
    pub turns: QuarterTurns,
}

impl Orientation {
    pub fn of(part: &PlacedPart) -> Orientation {
        Orientation { flipped: part.flipped, turns: part.rotation_deg }
    }

    fn quarter_turns(self) -> impl Iterator<Item = ()> {
        std::iter::repeat_n((), usize::from(self.turns.count()))
    }

    pub fn side(self, side: Side) -> Side {
        let side = if self.flipped { side.mirrored() } else { side };
        self.quarter_turns().fold(side, |side, ()| side.clockwise())
    }

    /// An offset from the part's centre, drawn: (x, y) turned clockwise on the screen (y down) is (-y, x).
    pub fn offset(self, offset: Vec2) -> Vec2 {
        let offset = if self.flipped { vec2(-offset.x, offset.y) } else { offset };
        self.quarter_turns().fold(offset, |v, ()| vec2(-v.y, v.x))
    }

    /// The part's box size once turned: a quarter or three-quarter turn swaps its width and height.
    pub fn size(self, size: Vec2) -> Vec2 {
        if self.turns.count() % 2 == 1 { vec2(size.y, size.x) } else { size }
    }
}

/// One port's place: its side and its offset from the part's centre, in canvas units.
#[derive(Debug, Clone, PartialEq)]
pub struct PortPlace {
    pub name: String,
    pub dir: PortDir,
    pub side: Side,
    pub offset: Vec2,
}

/// Blood comes in on the left and leaves on the right, so a circuit reads left to right like a perfusion
/// diagram; the fourth and later ports of a side, and the two-way ports of a directed part, go to the top and
/// bottom edges.
pub fn port_places(spec: &PartSpec) -> Vec<PortPlace> {
    const PER_SIDE: usize = 3;
    let size = part_size(&spec.kind);
    let directed = spec.ports.iter().any(|p| p.dir != PortDir::Either);
    let mut sides: Vec<(Side, Vec<(&str, PortDir)>)> =
        vec![(Side::Left, vec![]), (Side::Right, vec![]), (Side::Top, vec![]), (Side::Bottom, vec![])];
    for (index, port) in spec.ports.iter().enumerate() {
        let preferred = match port.dir {
            PortDir::In => [Side::Left, Side::Top],
            PortDir::Out => [Side::Right, Side::Bottom],
            // Undirected parts (connectors, sensors) alternate left and right so a straight piece sits in line.
            PortDir::Either if !directed && index % 2 == 0 => [Side::Left, Side::Top],
            PortDir::Either if !directed => [Side::Right, Side::Bottom],
            PortDir::Either => [Side::Bottom, Side::Top],
        };
        let side = if sides.iter().any(|(s, list)| *s == preferred[0] && list.len() < PER_SIDE) {
            preferred[0]
        } else {
            preferred[1]
        };
        if let Some((_, list)) = sides.iter_mut().find(|(s, _)| *s == side) {
            list.push((port.name.as_str(), port.dir));
        }
    }
    let mut places = Vec::new();
    for (side, list) in sides {
        let count = list.len() as f32;
        for (i, (name, dir)) in list.into_iter().enumerate() {
            let along = (i as f32 + 1.0) / (count + 1.0) - 0.5;
            let offset = match side {
                Side::Left => vec2(-size.x / 2.0, along * size.y),
                Side::Right => vec2(size.x / 2.0, along * size.y),
                Side::Top => vec2(along * size.x, -size.y / 2.0),
                Side::Bottom => vec2(along * size.x, size.y / 2.0),
            };
            places.push(PortPlace { name: name.to_owned(), dir, side, offset });
        }
    }
    places
}

/// The four control points of a tube drawn between two ports: it leaves each port along the port's normal, so
/// lines never cut back through the part they come from.
pub fn tube_curve(from: Pos2, from_side: Side, to: Pos2, to_side: Side) -> [Pos2; 4] {
    let reach = ((to - from).length() * 0.4).clamp(24.0, 160.0);
    [from, from + from_side.normal() * reach, to + to_side.normal() * reach, to]
}

/// Point at `t` (0..1) along a cubic Bézier.
pub fn bezier_point(points: &[Pos2; 4], t: f32) -> Pos2 {
    let u = 1.0 - t;
    let w = [u * u * u, 3.0 * u * u * t, 3.0 * u * t * t, t * t * t];
    let v = points.iter().zip(w).fold(Vec2::ZERO, |acc, (p, w)| acc + p.to_vec2() * w);
    v.to_pos2()
}

/// The curve as a polyline of `segments` pieces, with each vertex's distance along it.
pub fn polyline(points: &[Pos2; 4], segments: usize) -> (Vec<Pos2>, Vec<f32>) {
    let vertices: Vec<Pos2> = (0..=segments).map(|i| bezier_point(points, i as f32 / segments as f32)).collect();
    let mut lengths = Vec::with_capacity(vertices.len());
    let mut total = 0.0;
    for (i, vertex) in vertices.iter().enumerate() {
        if i > 0 {
            total += (*vertex - vertices[i - 1]).length();
        }
        lengths.push(total);
    }
    (vertices, lengths)
}

/// The point at distance `s` along a polyline.
pub fn point_at(vertices: &[Pos2], lengths: &[f32], s: f32) -> Pos2 {
    let index = lengths.partition_point(|l| *l < s).clamp(1, vertices.len().saturating_sub(1).max(1));
    match (vertices.get(index - 1), vertices.get(index), lengths.get(index - 1), lengths.get(index)) {
        (Some(a), Some(b), Some(la), Some(lb)) if lb > la => *a + (*b - *a) * ((s - la) / (lb - la)).clamp(0.0, 1.0),
        (Some(a), ..) => *a,
        _ => Pos2::ZERO,
    }
}

/// Shortest distance from `point` to a polyline.
pub fn distance_to_polyline(vertices: &[Pos2], point: Pos2) -> f32 {
    vertices
        .windows(2)
        .map(|pair| {
            let (a, b) = (pair[0], pair[1]);
            let ab = b - a;
            let t = if ab.length_sq() > 0.0 { ((point - a).dot(ab) / ab.length_sq()).clamp(0.0, 1.0) } else { 0.0 };
            (a + ab * t - point).length()
        })
        .fold(f32::INFINITY, f32::min)
}

/// Pan and zoom: a canvas point p appears at `origin + p × zoom` (screen points).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct View {
    pub origin: Vec2,
    pub zoom: f32,
}

impl Default for View {
    fn default() -> Self {
        Self { origin: vec2(40.0, 40.0), zoom: 1.0 }
    }
}

pub const MIN_ZOOM: f32 = 0.25;
pub const MAX_ZOOM: f32 = 3.0;

/// Two coordinate spaces: canvas units (a part's `pos_in_canvas`, the circuit file's), and screen points inside the
/// canvas rectangle `canvas` this frame.
impl View {
    /// Where canvas point `p` is on the screen.
    pub fn screen_from_canvas(self, canvas: Rect, p: CanvasPos) -> Pos2 {
        canvas.min + self.origin + vec2(p.x, p.y) * self.zoom
    }

    /// The canvas point under screen point `screen`.
    pub fn canvas_from_screen(self, canvas: Rect, screen: Pos2) -> CanvasPos {
        let v = (screen - canvas.min - self.origin) / self.zoom;
        CanvasPos { x: v.x, y: v.y }
    }

    /// Zooms by `factor` keeping the canvas point under `anchor` where it is.
    pub fn zoom_around(&mut self, canvas: Rect, anchor: Pos2, factor: f32) {
        let before = self.canvas_from_screen(canvas, anchor);
        self.zoom = (self.zoom * factor).clamp(MIN_ZOOM, MAX_ZOOM);
        let after = self.screen_from_canvas(canvas, before);
        self.origin += anchor - after;
    }

    /// The view that shows `bounds` (canvas units) whole and centred in `canvas`, never zoomed in past 1.5×.
    pub fn fitting(canvas: Rect, bounds: Rect) -> View {
        // Screen pixels kept free around the circuit: a name or reading above or below a part at the edge (the
        // captions keep inside the view, beside the part only where there is room).
        let margin = vec2(40.0, 40.0);
        let available = (canvas.size() - margin * 2.0).max(vec2(50.0, 50.0));
        let size = bounds.size().max(vec2(1.0, 1.0));
        let zoom = (available.x / size.x).min(available.y / size.y).clamp(MIN_ZOOM, 1.5);
        let origin = canvas.size() / 2.0 - bounds.center().to_vec2() * zoom;
        View { origin, zoom }
    }
}

/// A part's box on the screen, as drawn (a turned part's box is turned too).
pub fn part_rect(view: &View, canvas: Rect, pos: CanvasPos, kind: &PartKind, orientation: Orientation) -> Rect {
    Rect::from_center_size(view.screen_from_canvas(canvas, pos), orientation.size(part_size(kind)) * view.zoom)
}

/// A part's box in canvas units, as drawn.
pub fn part_bounds(pos: CanvasPos, kind: &PartKind, orientation: Orientation) -> Rect {
    Rect::from_center_size(pos2(pos.x, pos.y), orientation.size(part_size(kind)))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every port of every part, however the part is flipped and turned, sits on the edge of the drawn box on the
    /// side it leaves from.
    #[test]
    fn ports_stay_on_their_side_of_a_turned_or_flipped_box() {
        let catalog = crate::catalog::Catalog::bundled().unwrap_or_else(|d| panic!("{d}"));
        let mut turns = QuarterTurns::UPRIGHT;
        for quarter in 0..4 {
            for flipped in [false, true] {
                let orientation = Orientation { flipped, turns };
                for spec in catalog.parts() {
                    let half = orientation.size(part_size(&spec.kind)) / 2.0;
                    for place in port_places(spec) {
                        let (side, at) = (orientation.side(place.side), orientation.offset(place.offset));
                        let near = |a: f32, b: f32| (a - b).abs() < 1e-4;
                        let on_edge = match side {
                            Side::Left => near(at.x, -half.x) && at.y.abs() <= half.y,
                            Side::Right => near(at.x, half.x) && at.y.abs() <= half.y,
                            Side::Top => near(at.y, -half.y) && at.x.abs() <= half.x,
                            Side::Bottom => near(at.y, half.y) && at.x.abs() <= half.x,
                        };
                        assert!(on_edge, "{} {} at {quarter} quarter turns, flipped {flipped}", spec.id, place.name);
                    }
                }
            }
            turns = turns.clockwise();
        }
        assert_eq!(turns, QuarterTurns::UPRIGHT, "four quarter turns come back upright");
    }

    #[test]
    fn zooming_keeps_the_point_under_the_pointer() {
        let canvas = Rect::from_min_size(pos2(100.0, 50.0), vec2(800.0, 600.0));
        let mut view = View::default();
        let anchor = pos2(400.0, 300.0);
        let before = view.canvas_from_screen(canvas, anchor);
        view.zoom_around(canvas, anchor, 1.7);
        let after = view.screen_from_canvas(canvas, before);
        assert!((after - anchor).length() < 1e-3);
    }

    #[test]
    fn a_point_along_the_polyline_is_on_it() {
        let curve = tube_curve(pos2(0.0, 0.0), Side::Right, pos2(200.0, 0.0), Side::Left);
        let (vertices, lengths) = polyline(&curve, 16);
        let middle = point_at(&vertices, &lengths, lengths.last().copied().unwrap_or(0.0) / 2.0);
        assert!(distance_to_polyline(&vertices, middle) < 1e-3);
        assert!((middle.x - 100.0).abs() < 1.0);
    }
}
