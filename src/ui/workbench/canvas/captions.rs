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

/// Lays out and paints `captions`, keeping clear of each other and of `parts` (every part's rectangle on screen),
/// and inside `within` (the canvas), so a name at the edge of the view is never cut.
pub fn paint(
    painter: &egui::Painter,
    mut captions: Vec<Caption>,
    parts: &[Rect],
    within: Rect,
    font: FontId,
    colours: &Palette,
) {
    captions.sort_by_key(|c| c.rank);
    let galleys: Vec<_> =
        captions.iter().map(|c| painter.layout_no_wrap(c.text.clone(), font.clone(), colours.text)).collect();
    let sizes: Vec<Vec2> = galleys.iter().map(|g| g.size() + vec2(6.0, 2.0)).collect();
    for ((caption, galley), spot) in captions.iter().zip(galleys).zip(layout(&captions, &sizes, parts, within)) {
        let Some(spot) = spot else { continue };
        let (fill, stroke) = match caption.rank {
            Rank::Reading => (colours.reading_fill, Stroke::new(1.0, colours.weak)),
            // A name sits on a veil of the canvas colour, so a tube passing under it never crosses the letters.
            _ => (colours.canvas.gamma_multiply(0.85), Stroke::NONE),
        };
        painter.rect(spot, CornerRadius::same(3), fill, stroke, StrokeKind::Inside);
        painter.galley(spot.min + vec2(3.0, 1.0), galley, colours.text);
    }
}

/// Where each caption (in rank order, of the size given) goes, or `None` for a fitting's name with no free place
/// inside `within` and for a part out of `within`. A name with no free place is put in its first place, moved
/// inside `within`.
fn layout(captions: &[Caption], sizes: &[Vec2], parts: &[Rect], within: Rect) -> Vec<Option<Rect>> {
    let mut taken: Vec<Rect> = Vec::with_capacity(captions.len());
    captions
        .iter()
        .zip(sizes)
        .map(|(caption, size)| {
            // A part out of view takes its name with it (zoomed in, the names of the parts off the canvas would
            // otherwise crowd its edge).
            if !within.intersects(caption.part) {
                return None;
            }
            let spots = spots(caption.part, *size, caption.rank == Rank::Reading);
            let clear = |r: &Rect| {
                within.contains_rect(*r)
                    && !taken.iter().any(|t| t.intersects(*r))
                    && !parts.iter().any(|p| *p != caption.part && p.shrink(1.0).intersects(*r))
            };
            let spot = match spots.iter().copied().find(clear) {
                Some(spot) => spot,
                // A fitting's name has its tooltip; the others are shown in their first place whatever it overlaps.
                None if caption.rank == Rank::Fitting => return None,
                None => inside(spots[0], within),
            };
            taken.push(spot);
            Some(spot)
        })
        .collect()
}

/// `spot` moved the least that puts it inside `within` (or against its top left, if it is the larger).
fn inside(spot: Rect, within: Rect) -> Rect {
    let dx = (within.left() - spot.left()).max(0.0) + (within.right() - spot.right()).min(0.0);
    let dy = (within.top() - spot.top()).max(0.0) + (within.bottom() - spot.bottom()).min(0.0);
    spot.translate(vec2(dx, dy))
}

/// Where a caption of `size` may go around `part`, in order of preference: below (above for a reading), then the
/// other side, right and left, then the four corners (a crowded circuit at a small zoom leaves the sides taken).
fn spots(part: Rect, size: Vec2, reading: bool) -> [Rect; 8] {
    let below = Align2::CENTER_TOP.anchor_size(part.center_bottom() + vec2(0.0, 2.0), size);
    let above = Align2::CENTER_BOTTOM.anchor_size(part.center_top() - vec2(0.0, 2.0), size);
    let right = Align2::LEFT_CENTER.anchor_size(part.right_center() + vec2(4.0, 0.0), size);
    let left = Align2::RIGHT_CENTER.anchor_size(part.left_center() - vec2(4.0, 0.0), size);
    let below_right = Align2::LEFT_TOP.anchor_size(part.right_bottom() + vec2(2.0, 2.0), size);
    let below_left = Align2::RIGHT_TOP.anchor_size(part.left_bottom() + vec2(-2.0, 2.0), size);
    let above_right = Align2::LEFT_BOTTOM.anchor_size(part.right_top() + vec2(2.0, -2.0), size);
    let above_left = Align2::RIGHT_BOTTOM.anchor_size(part.left_top() + vec2(-2.0, -2.0), size);
    if reading {
        [above, below, right, left, above_right, above_left, below_right, below_left]
    } else {
        [below, above, right, left, below_right, below_left, above_right, above_left]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use eframe::egui::pos2;

    /// A row of fittings packed closer than their names are wide: every name placed clears every other and every
    /// other part, and the main device keeps its name.
    #[test]
    fn names_never_print_over_each_other_or_over_parts() {
        let part = |x: f32| Rect::from_min_size(pos2(x, 100.0), vec2(20.0, 20.0));
        let parts: Vec<Rect> = (0..8).map(|i| part(i as f32 * 30.0)).collect();
        let mut captions: Vec<Caption> = parts
            .iter()
            .map(|p| Caption { text: "Straight connector 12".into(), part: *p, rank: Rank::Fitting })
            .collect();
        captions.insert(0, Caption { text: "Roller pump 1".into(), part: parts[3], rank: Rank::MainDevice });
        let sizes = vec![vec2(110.0, 14.0); captions.len()];
        let within = Rect::from_min_max(pos2(-200.0, 0.0), pos2(400.0, 300.0));
        let placed = layout(&captions, &sizes, &parts, within);
        assert!(placed[0].is_some(), "the main device lost its name");
        let shown: Vec<(Rect, Rect)> =
            captions.iter().zip(&placed).filter_map(|(c, spot)| spot.map(|s| (s, c.part))).collect();
        assert!(shown.len() >= 3, "only {} names found room", shown.len());
        for (i, (a, own)) in shown.iter().enumerate() {
            for (b, _) in &shown[i + 1..] {
                assert!(!a.intersects(*b), "{a:?} overlaps {b:?}");
            }
            assert!(within.contains_rect(*a), "{a:?} is cut by the edge of the view");
            for p in parts.iter().filter(|p| *p != own) {
                assert!(!p.shrink(1.0).intersects(*a), "{a:?} covers the part at {p:?}");
            }
        }
    }

    /// A part at the left edge of the view: its name goes where it is whole, not off the edge; a part out of view
    /// has no name drawn.
    #[test]
    fn a_name_at_the_edge_of_the_view_stays_inside_it() {
        let within = Rect::from_min_max(pos2(0.0, 0.0), pos2(400.0, 300.0));
        let part = Rect::from_min_size(pos2(4.0, 280.0), vec2(20.0, 16.0));
        let captions = [Caption { text: "Cardiotomy sucker 1".into(), part, rank: Rank::MainDevice }];
        let placed = layout(&captions, &[vec2(110.0, 14.0)], &[part], within);
        let spot = placed[0].expect("a main device keeps its name");
        assert!(within.contains_rect(spot), "{spot:?}");
        let away = Rect::from_min_size(pos2(-80.0, 100.0), vec2(20.0, 16.0));
        let captions = [Caption { text: "Roller pump 3".into(), part: away, rank: Rank::MainDevice }];
        assert_eq!(layout(&captions, &[vec2(80.0, 14.0)], &[away], within), vec![None]);
    }
}
