//! Names and readings on the canvas, laid out so none prints over another or over a part: each tries below its
//! part, then above, right and left, in order of importance (a reading, the selected part, the main devices, then
//! fittings). A fitting's name that finds no free place is left to its tooltip, never drawn over another.

use super::paint::Palette;
use eframe::egui::{self, Align2, CornerRadius, FontId, Rect, Stroke, StrokeKind, Vec2, vec2};

/// How much a caption matters: the lower, the earlier it is placed and the surer it is shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Rank {
    /// A live figure (pressure, flow, volume) while the pump runs.
    Reading,
    /// The selected or highlighted part's name.
    Selected,
    /// A pump, oxygenator, reservoir, cannula, filter or cardioplegia set.
    MainDevice,
    /// Connectors, ports, sensors: named when there is room.
    Fitting,
}

pub struct Caption {
    pub text: String,
    /// The part's rectangle on screen.
    pub part: Rect,
    pub rank: Rank,
}

/// Lays out and paints `captions`, keeping clear of each other and of `parts` (every part's rectangle on screen).
pub fn paint(painter: &egui::Painter, mut captions: Vec<Caption>, parts: &[Rect], font: FontId, colours: &Palette) {
    captions.sort_by_key(|c| c.rank);
    let mut taken: Vec<Rect> = Vec::with_capacity(captions.len());
    for caption in captions {
        let galley = painter.layout_no_wrap(caption.text, font.clone(), colours.text);
        let size = galley.size() + vec2(6.0, 2.0);
        let spots = spots(caption.part, size, caption.rank == Rank::Reading);
        let clear = |r: &Rect| {
            !taken.iter().any(|t| t.intersects(*r))
                && !parts.iter().any(|p| *p != caption.part && p.shrink(1.0).intersects(*r))
        };
        let spot = match spots.iter().copied().find(clear) {
            Some(spot) => spot,
            // A fitting's name has its tooltip; the others are shown in their first place whatever it overlaps.
            None if caption.rank == Rank::Fitting => continue,
            None => spots[0],
        };
        taken.push(spot);
        let (fill, stroke) = match caption.rank {
            Rank::Reading => (colours.reading_fill, Stroke::new(1.0, colours.weak)),
            // A name sits on a veil of the canvas colour, so a tube passing under it never crosses the letters.
            _ => (colours.canvas.gamma_multiply(0.85), Stroke::NONE),
        };
        painter.rect(spot, CornerRadius::same(3), fill, stroke, StrokeKind::Inside);
        painter.galley(spot.min + vec2(3.0, 1.0), galley, colours.text);
    }
}

/// Where a caption of `size` may go around `part`, in order of preference: below (above for a reading), then the
/// other side, right and left.
fn spots(part: Rect, size: Vec2, reading: bool) -> [Rect; 4] {
    let below = Align2::CENTER_TOP.anchor_size(part.center_bottom() + vec2(0.0, 2.0), size);
    let above = Align2::CENTER_BOTTOM.anchor_size(part.center_top() - vec2(0.0, 2.0), size);
    let right = Align2::LEFT_CENTER.anchor_size(part.right_center() + vec2(4.0, 0.0), size);
    let left = Align2::RIGHT_CENTER.anchor_size(part.left_center() - vec2(4.0, 0.0), size);
    if reading { [above, below, right, left] } else { [below, above, right, left] }
}
