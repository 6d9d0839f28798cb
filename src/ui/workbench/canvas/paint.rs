//! How the canvas looks: its colours, the grid, ports with their direction chevrons, and the width and colour of
//! tubing by bore and by the blood in it.

use super::super::geometry::View;
use super::DrawnPort;
use crate::catalog::{Bore, PortDir};
use eframe::egui::{self, Color32, CornerRadius, Rect, Shape, Stroke, Vec2, pos2, vec2};

pub struct Palette {
    pub line: Color32,
    pub body: Color32,
    pub accent: Color32,
    pub tube: Color32,
    pub selected: Color32,
    pub highlight: Color32,
    pub text: Color32,
    pub weak: Color32,
    /// The canvas background (a caption's veil).
    pub canvas: Color32,
    /// Behind a live reading.
    pub reading_fill: Color32,
}

pub fn palette(ui: &egui::Ui) -> Palette {
    let v = ui.visuals();
    let dark = v.dark_mode;
    Palette {
        line: if dark { Color32::from_gray(200) } else { Color32::from_gray(60) },
        body: if dark { Color32::from_rgb(44, 50, 60) } else { Color32::from_rgb(236, 240, 246) },
        accent: Color32::from_rgb(200, 60, 70),
        tube: if dark { Color32::from_rgb(120, 150, 175) } else { Color32::from_rgb(120, 145, 170) },
        selected: v.selection.stroke.color,
        highlight: Color32::from_rgb(240, 150, 30),
        text: v.text_color(),
        weak: v.weak_text_color(),
        canvas: v.extreme_bg_color,
        reading_fill: v.window_fill,
    }
}

/// Width of a tube of this bore on the screen at zoom 1.
pub fn bore_width(bore: Bore) -> f32 {
    match bore {
        Bore::Luer => 2.0,
        Bore::In3_16 => 3.0,
        Bore::In1_4 => 4.0,
        Bore::In3_8 => 5.5,
        Bore::In1_2 => 7.0,
        Bore::Any => 4.0,
    }
}

/// The colour of blood by its saturation, from dark purplish venous to bright scarlet arterial, the ramp spread
/// over the saturations a circuit shows (60 % to 97 %) so that 75 % and 100 % look plainly different; clear prime
/// is straw.
pub fn blood_colour(hb_g_dl: f64, sat: f64) -> Color32 {
    let straw = Color32::from_rgb(226, 214, 160);
    let venous = Color32::from_rgb(78, 16, 62);
    let arterial = Color32::from_rgb(235, 38, 42);
    let red = venous.lerp_to_gamma(arterial, ((sat - 0.60) / 0.37).clamp(0.0, 1.0) as f32);
    // Diluted blood is paler: full colour from Hb 6 g/dL up.
    straw.lerp_to_gamma(red, (hb_g_dl / 6.0).clamp(0.0, 1.0) as f32)
}

pub fn paint_grid(painter: &egui::Painter, rect: Rect, view: &View, colour: Color32) {
    let step = 40.0 * view.zoom;
    if step < 8.0 {
        return;
    }
    let origin = rect.min + view.origin;
    let first_x = origin.x + ((rect.left() - origin.x) / step).ceil() * step;
    let first_y = origin.y + ((rect.top() - origin.y) / step).ceil() * step;
    let stroke = Stroke::new(1.0, colour);
    let mut x = first_x;
    while x < rect.right() {
        painter.line_segment([pos2(x, rect.top()), pos2(x, rect.bottom())], stroke);
        x += step;
    }
    let mut y = first_y;
    while y < rect.bottom() {
        painter.line_segment([pos2(rect.left(), y), pos2(rect.right(), y)], stroke);
        y += step;
    }
}

pub fn port_tooltip(label: &str, drawn: &DrawnPort, connected: bool, capped: bool) -> String {
    let dir = match drawn.dir {
        PortDir::In => "inlet",
        PortDir::Out => "outlet",
        PortDir::Either => "two-way",
    };
    let state = if capped {
        ", capped"
    } else if connected {
        ", connected"
    } else {
        "; drag from here to another port to connect"
    };
    format!("{label}: {dir} port, {} bore{state}", drawn.bore)
}

pub fn paint_port(
    painter: &egui::Painter,
    colours: &Palette,
    drawn: &DrawnPort,
    radius: f32,
    connected: bool,
    capped: bool,
    hovered: bool,
) {
    // Teal in, amber out: hues apart from blood's (purple venous to scarlet arterial), so a drainage cannula's
    // outlet never reads as arterial, and apart on the blue-yellow axis that red-green colour blindness keeps.
    let colour = match drawn.dir {
        PortDir::In => Color32::from_rgb(30, 160, 150),
        PortDir::Out => Color32::from_rgb(225, 150, 30),
        PortDir::Either => Color32::from_gray(150),
    };
    let r = if hovered { radius * 1.3 } else { radius };
    if capped {
        painter.rect_filled(
            Rect::from_center_size(drawn.pos, Vec2::splat(r * 1.8)),
            CornerRadius::same(2),
            colours.weak,
        );
        return;
    }
    if connected {
        painter.circle_filled(drawn.pos, r, colour);
    } else {
        painter.circle(drawn.pos, r, colours.body, Stroke::new(2.0, colour));
    }
    // A small chevron shows which way blood goes through the port.
    let n = drawn.side.normal();
    let inward = match drawn.dir {
        PortDir::In => -n,
        PortDir::Out => n,
        PortDir::Either => return,
    };
    let tip = drawn.pos + n * (r + 6.0) + inward * 3.0;
    let back = tip - inward * 5.0;
    let across = vec2(-inward.y, inward.x) * 3.5;
    painter.add(Shape::convex_polygon(vec![tip, back + across, back - across], colour, Stroke::NONE));
}
