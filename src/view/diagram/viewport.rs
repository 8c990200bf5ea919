//! Zoom and pan: which part of the scene the diagram's box shows. The scene is laid out in CSS
//! pixels at 100 % zoom, so at scale 1 text is drawn at its nominal size; zooming scales about
//! a point that stays under the cursor, panning moves by screen pixels, and fitting shows the
//! whole scene. Kept here, without the browser, so it is tested natively.

/// The visible part of the scene: its top-left corner in scene units and the zoom factor.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Viewport {
    pub x: f64,
    pub y: f64,
    pub scale: f64,
}

pub const MIN_SCALE: f64 = 0.2;
pub const MAX_SCALE: f64 = 3.0;
/// One press of + or −.
pub const ZOOM_STEP: f64 = 1.25;

impl Default for Viewport {
    fn default() -> Self {
        Viewport {
            x: 0.0,
            y: 0.0,
            scale: 1.0,
        }
    }
}

impl Viewport {
    /// The SVG `transform` that draws the scene's visible part into the box, for a group
    /// inside an SVG without a `viewBox` (CSS pixels). Panning changes only the translation,
    /// which the browser applies without laying the scene's text out again (measured: a
    /// changed `viewBox` re-lays out every label, 7 ms on IL5; a changed translation 0.1 ms).
    pub fn transform(&self) -> String {
        format!(
            "translate({:.1} {:.1}) scale({})",
            -self.x * self.scale,
            -self.y * self.scale,
            self.scale
        )
    }

    /// Zoomed by `factor` about the screen point (`px`, `py`), which stays where it is.
    pub fn zoom_at(self, factor: f64, px: f64, py: f64) -> Self {
        let scale = (self.scale * factor).clamp(MIN_SCALE, MAX_SCALE);
        let (sx, sy) = (self.x + px / self.scale, self.y + py / self.scale);
        Viewport {
            x: sx - px / scale,
            y: sy - py / scale,
            scale,
        }
    }

    /// Moved by (`dx`, `dy`) screen pixels (dragging right shows what is left).
    pub fn pan(self, dx: f64, dy: f64) -> Self {
        Viewport {
            x: self.x - dx / self.scale,
            y: self.y - dy / self.scale,
            ..self
        }
    }

    /// Kept so that some of the scene (`scene_w` × `scene_h`) stays in a box `width` ×
    /// `height`: the view may not leave the scene by more than half a box.
    pub fn clamped(self, scene_w: f64, scene_h: f64, width: f64, height: f64) -> Self {
        let (view_w, view_h) = (width / self.scale, height / self.scale);
        let clamp = |value: f64, view: f64, scene: f64| {
            let low = -view / 2.0;
            let high = (scene - view / 2.0).max(low);
            value.clamp(low, high)
        };
        Viewport {
            x: clamp(self.x, view_w, scene_w),
            y: clamp(self.y, view_h, scene_h),
            ..self
        }
    }

    /// The whole scene in the box, centred, never enlarged past 100 %.
    pub fn fit(scene_w: f64, scene_h: f64, width: f64, height: f64) -> Self {
        let scale = (width / scene_w)
            .min(height / scene_h)
            .clamp(MIN_SCALE, 1.0);
        Viewport {
            x: (scene_w - width / scale) / 2.0,
            y: (scene_h - height / scale) / 2.0,
            scale,
        }
    }

    /// The scale as a percentage for the zoom readout.
    pub fn percent(&self) -> u32 {
        (self.scale * 100.0).round() as u32
    }
}

/// The diagram box's view: the viewport, the scene's size and the box's size, changed only
/// through [`ViewAction`]s so every change is clamped to keep the scene in sight.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct View {
    pub viewport: Viewport,
    pub scene: (f64, f64),
    pub frame: (f64, f64),
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum ViewAction {
    /// The box was measured (screen pixels).
    Frame(f64, f64),
    /// The scene was laid out anew.
    Scene(f64, f64),
    /// Zoom by a factor about a point of the box.
    ZoomAt(f64, f64, f64),
    /// Zoom by a factor about the box's centre (buttons, keys).
    Zoom(f64),
    /// Pan by screen pixels.
    Pan(f64, f64),
    Fit,
    /// 100 %, at the top-left of the scene.
    Actual,
}

impl View {
    pub fn apply(self, action: ViewAction) -> View {
        let viewport = self.viewport;
        let (w, h) = self.frame;
        let next = match action {
            ViewAction::Frame(w, h) => {
                return View {
                    frame: (w, h),
                    ..self
                }
            }
            ViewAction::Scene(w, h) => {
                return View {
                    scene: (w, h),
                    ..self
                }
                .clamp()
            }
            ViewAction::ZoomAt(factor, x, y) => viewport.zoom_at(factor, x, y),
            ViewAction::Zoom(factor) => viewport.zoom_at(factor, w / 2.0, h / 2.0),
            ViewAction::Pan(dx, dy) => viewport.pan(dx, dy),
            ViewAction::Fit => Viewport::fit(self.scene.0, self.scene.1, w, h),
            ViewAction::Actual => Viewport::default(),
        };
        View {
            viewport: next,
            ..self
        }
        .clamp()
    }

    fn clamp(self) -> View {
        View {
            viewport: self
                .viewport
                .clamped(self.scene.0, self.scene.1, self.frame.0, self.frame.1),
            ..self
        }
    }
}
