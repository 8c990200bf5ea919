//! The topology diagram: the view's [`Scene`](crate::view::diagram::Scene) drawn as SVG at
//! 100 % zoom in CSS pixels (so labels keep their size), laid out for the width of its box;
//! zoom and pan are one group's transform (cheaper for the browser than a `viewBox`).
//! Drag or scroll to pan, Ctrl+scroll (or pinch) and the +/− buttons or keys to zoom, F or
//! "Fit" to see everything. Nodes and edges are focusable buttons: clicking or pressing Enter
//! opens a card with the element's details and its flows; VNets and groups collapse to one
//! box. Kinds carry a text marker and edges a badge with an icon, so nothing relies on colour.

use std::collections::BTreeSet;
use std::rc::Rc;

use gloo::events::{EventListener, EventListenerOptions};
use wasm_bindgen::JsCast;
use yew::prelude::*;

use super::browser;
use super::diagram_card::DiagramCard;
use super::diagram_scene::{FocusTarget, SceneLayers};
use super::resize::use_element_size;
use super::state::{use_app, use_dispatch, ByPtr};
use crate::view::diagram::details::{edge_details, node_details};
use crate::view::diagram::viewport::{View, ViewAction, ZOOM_STEP};
use crate::view::diagram::{
    default_collapsed, is_large, layout, LayoutOptions, Scene, Selection, LEGEND_KINDS,
};
use crate::view::evaluation::Evaluation;
use crate::view::state::Action;

impl Reducible for View {
    type Action = ViewAction;

    fn reduce(self: Rc<Self>, action: ViewAction) -> Rc<Self> {
        Rc::new((*self).apply(action))
    }
}

/// An evaluation compared by what the diagram draws of it ([`Evaluation::draws_like`]): the
/// fixes verified after a change do not lay the diagram out again.
struct DrawnAlike(Rc<Evaluation>);

impl PartialEq for DrawnAlike {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0) || self.0.draws_like(&other.0)
    }
}

/// What the scene is laid out from.
#[derive(Clone, PartialEq)]
struct SceneInputs {
    evaluation: ByPtr<Evaluation>,
    selected: Option<String>,
    step: usize,
    options: LayoutOptions,
}

impl SceneInputs {
    fn layout(&self) -> Scene {
        let selection = self.selected.as_deref().map(|flow_id| Selection {
            flow_id,
            step: self.step,
        });
        let evaluation = &self.evaluation.0;
        layout(&evaluation.analysed, evaluation, selection, &self.options)
    }
}

/// Pixels one arrow key pans.
const KEY_PAN: f64 = 80.0;

#[function_component(Diagram)]
pub fn diagram() -> Html {
    let app = use_app();
    let frame = use_node_ref();
    let view = use_reducer(View::default);
    let dispatch = use_dispatch();
    let focus = use_state(|| None::<FocusTarget>);
    let drag = use_mut_ref(|| None::<(f64, f64, bool)>);

    {
        let view = view.clone();
        use_element_size(
            frame.clone(),
            Callback::from(move |(w, h)| view.dispatch(ViewAction::Frame(w, h))),
        );
    }
    // A new design (another scenario or an import) opens without a card, at 100 %.
    {
        let focus = focus.clone();
        let view = view.clone();
        use_effect_with((app.scenario.clone(), app.design.name.clone()), move |_| {
            focus.set(None);
            view.dispatch(ViewAction::Actual);
        });
    }

    let design = app.evaluation.analysed.clone();
    let options = LayoutOptions {
        width: view.frame.0 as i32,
        collapsed: app
            .diagram_collapsed
            .clone()
            .unwrap_or_else(|| default_collapsed(&design)),
    };
    let drawn = {
        let app = app.clone();
        use_memo(
            (
                DrawnAlike(app.evaluation.clone()),
                ByPtr(app.closed_by_change.clone()),
                ByPtr(app.traced.clone()),
            ),
            move |_| app.drawn_evaluation(),
        )
    };
    let inputs = SceneInputs {
        evaluation: ByPtr((*drawn).clone()),
        selected: app.selected.clone(),
        step: app.step,
        options,
    };
    // A large design (one that opens collapsed) is laid out again in a task of its own after
    // the change's render, showing the previous scene meanwhile: a click's task then does not
    // also lay out and diff 50 VNets. Small designs are laid out in the render.
    let deferred = is_large(&design);
    let laid_out = use_mut_ref(|| None::<(SceneInputs, Rc<Scene>)>);
    let redraw = use_force_update();
    let kept = laid_out
        .borrow()
        .as_ref()
        .filter(|(drawn_from, _)| deferred || *drawn_from == inputs)
        .map(|(_, scene)| scene.clone());
    let scene = kept.unwrap_or_else(|| {
        let scene = Rc::new(inputs.layout());
        let replaced = laid_out.replace(Some((inputs.clone(), scene.clone())));
        browser::drop_after_paint(replaced);
        scene
    });
    {
        let laid_out = laid_out.clone();
        use_effect_with(inputs, move |inputs| {
            let up_to_date = laid_out
                .borrow()
                .as_ref()
                .is_some_and(|(drawn_from, _)| drawn_from == inputs);
            let inputs = inputs.clone();
            let pending = (!up_to_date).then(|| {
                browser::next_task(move || {
                    let scene = Rc::new(inputs.layout());
                    browser::drop_after_paint(laid_out.replace(Some((inputs, scene))));
                    redraw.force_update();
                })
            });
            move || drop(pending)
        });
    }
    {
        let view = view.clone();
        use_effect_with((scene.width, scene.height), move |(w, h)| {
            view.dispatch(ViewAction::Scene(f64::from(*w), f64::from(*h)));
        });
    }

    // Wheel: pan, or zoom about the pointer with Ctrl / ⌘ (and trackpad pinches).
    {
        let view = view.clone();
        use_effect_with(frame.clone(), move |frame| {
            let listener = frame.cast::<web_sys::Element>().map(|element| {
                let target = element.clone();
                EventListener::new_with_options(
                    &element,
                    "wheel",
                    EventListenerOptions::enable_prevent_default(),
                    move |event| {
                        let Some(wheel) = event.dyn_ref::<web_sys::WheelEvent>() else {
                            return;
                        };
                        wheel.prevent_default();
                        if wheel.ctrl_key() || wheel.meta_key() {
                            let rect = target.get_bounding_client_rect();
                            let x = f64::from(wheel.client_x()) - rect.left();
                            let y = f64::from(wheel.client_y()) - rect.top();
                            let factor = (-wheel.delta_y() * 0.002).exp();
                            view.dispatch(ViewAction::ZoomAt(factor, x, y));
                        } else {
                            view.dispatch(ViewAction::Pan(-wheel.delta_x(), -wheel.delta_y()));
                        }
                    },
                )
            });
            move || drop(listener)
        });
    }

    let onpointerdown = {
        let drag = drag.clone();
        Callback::from(move |event: PointerEvent| {
            if event.button() == 0 {
                *drag.borrow_mut() = Some((
                    f64::from(event.client_x()),
                    f64::from(event.client_y()),
                    false,
                ));
            }
        })
    };
    let onpointermove = {
        let drag = drag.clone();
        let view = view.clone();
        let frame = frame.clone();
        Callback::from(move |event: PointerEvent| {
            let mut state = drag.borrow_mut();
            let Some((x, y, moved)) = *state else {
                return;
            };
            let (nx, ny) = (f64::from(event.client_x()), f64::from(event.client_y()));
            if moved || (nx - x).abs() + (ny - y).abs() > 4.0 {
                if !moved {
                    if let Some(element) = frame.cast::<web_sys::Element>() {
                        let _ = element.set_pointer_capture(event.pointer_id());
                    }
                }
                view.dispatch(ViewAction::Pan(nx - x, ny - y));
                *state = Some((nx, ny, true));
            }
        })
    };
    let onpointerup = {
        let drag = drag.clone();
        Callback::from(move |_: PointerEvent| {
            // A drag's release is not a click: the flag is read by the click handlers first.
            let dragged = drag.borrow().is_some_and(|(_, _, moved)| moved);
            *drag.borrow_mut() = dragged.then_some((0.0, 0.0, true));
        })
    };
    // Stable callbacks (the scene's layers are re-rendered only when the scene or focus changes).
    let onfocus_target = {
        let focus = focus.clone();
        let drag = drag.clone();
        use_callback((), move |target: FocusTarget, _| {
            // A drag's release is not a click.
            let moved = drag.borrow().is_some_and(|(_, _, moved)| moved);
            *drag.borrow_mut() = None;
            if !moved {
                focus.set(Some(target));
            }
        })
    };
    let toggle_collapse = {
        let dispatch = dispatch.clone();
        use_callback((), move |key: String, _| {
            dispatch.dispatch(Action::ToggleCollapsed(key));
        })
    };
    let onkeydown = {
        let view = view.clone();
        let focus = focus.clone();
        Callback::from(move |event: KeyboardEvent| {
            let action = match event.key().as_str() {
                "+" | "=" => ViewAction::Zoom(ZOOM_STEP),
                "-" | "_" => ViewAction::Zoom(1.0 / ZOOM_STEP),
                "0" => ViewAction::Actual,
                "f" | "F" => ViewAction::Fit,
                "ArrowLeft" => ViewAction::Pan(KEY_PAN, 0.0),
                "ArrowRight" => ViewAction::Pan(-KEY_PAN, 0.0),
                "ArrowUp" => ViewAction::Pan(0.0, KEY_PAN),
                "ArrowDown" => ViewAction::Pan(0.0, -KEY_PAN),
                "Escape" => {
                    focus.set(None);
                    return;
                }
                _ => return,
            };
            event.prevent_default();
            view.dispatch(action);
        })
    };
    let button =
        |label: &'static str, title: &'static str, action: ViewAction, id: &'static str| {
            let view = view.clone();
            html! {
                <button type="button" title={title} aria-label={title} data-testid={id}
                        onclick={Callback::from(move |_| view.dispatch(action))}>{ label }</button>
            }
        };
    let all_vnets: BTreeSet<String> = design
        .virtual_networks
        .iter()
        .map(|v| format!("vnet:{}", v.name))
        .collect();
    let any_collapsed = scene.nodes.iter().any(|n| n.collapsed);
    let collapse_all = {
        Callback::from(move |_| {
            let next = if any_collapsed {
                BTreeSet::new()
            } else {
                all_vnets.clone()
            };
            dispatch.dispatch(Action::SetDiagramCollapsed(Some(next)));
        })
    };

    let card = (*focus).as_ref().and_then(|target| {
        let details = match target {
            FocusTarget::Node(key) => node_details(&scene, &design, &drawn, key),
            FocusTarget::Edge(key) => edge_details(&scene, &drawn, key),
        }?;
        let collapsible = match target {
            FocusTarget::Node(key) => scene
                .node(key)
                .filter(|n| n.collapsible)
                .map(|n| n.collapsed),
            FocusTarget::Edge(_) => None,
        };
        let ontogglecollapse = {
            let toggle = toggle_collapse.clone();
            let key = match target {
                FocusTarget::Node(key) => key.clone(),
                FocusTarget::Edge(key) => key.clone(),
            };
            Callback::from(move |_| toggle.emit(key.clone()))
        };
        let onclose = {
            let focus = focus.clone();
            Callback::from(move |_| focus.set(None))
        };
        Some(html! { <DiagramCard {details} {collapsible} {ontogglecollapse} {onclose} /> })
    });

    html! {
        <section class="diagram" id="diagram" aria-label="Topology diagram" data-testid="diagram">
            <div class="diagram-toolbar" role="toolbar" aria-label="Diagram view">
                { button("+", "Zoom in (+)", ViewAction::Zoom(ZOOM_STEP), "zoom-in") }
                { button("−", "Zoom out (−)", ViewAction::Zoom(1.0 / ZOOM_STEP), "zoom-out") }
                { button("Fit", "Fit the whole design (F)", ViewAction::Fit, "zoom-fit") }
                { button("100%", "Actual size (0)", ViewAction::Actual, "zoom-actual") }
                <span class="zoom-readout" data-testid="zoom-readout" aria-live="polite">
                    { format!("{} %", view.viewport.percent()) }
                </span>
                <button type="button" onclick={collapse_all} data-testid="collapse-all">
                    { if any_collapsed { "Expand all" } else { "Collapse VNets" } }
                </button>
                <span class="diagram-hint">{ "Drag to pan · Ctrl+scroll zooms · click for details" }</span>
            </div>
            <div class="diagram-frame" ref={frame} tabindex="0" {onkeydown}
                 {onpointerdown} {onpointermove} {onpointerup}
                 aria-label="Topology: arrow keys pan, + and − zoom, F fits; Tab moves through elements and edges">
                <svg class="diagram-canvas" role="group"
                     aria-label={scene.title.clone()} data-testid="diagram-canvas"
                     data-scale={view.viewport.scale.to_string()}>
                    <defs>
                        { for ["passes", "fails", "exfil-open", "exfil-closed", "path"].iter().map(|class| html! {
                            <marker id={format!("arrow-{class}")} class={format!("arrow arrow-{class}")}
                                    viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7"
                                    orient="auto-start-reverse">
                                <path d="M0 0 L10 5 L0 10 z" />
                            </marker>
                        }) }
                    </defs>
                    <g class="diagram-view" transform={view.viewport.transform()} data-testid="diagram-view">
                        <SceneLayers scene={ByPtr(scene.clone())} focus={(*focus).clone()}
                                     onfocus={onfocus_target} ontoggle={toggle_collapse} />
                    </g>
                </svg>
                { for card }
            </div>
            <div class="legend" data-testid="legend">
                <span class="legend-passes">{ "━ ✓ works" }</span>
                <span class="legend-fails">{ "┅ ✗ broken required flow" }</span>
                <span class="legend-exfil-open">{ "━ ✗ open exfiltration path" }</span>
                <span class="legend-exfil-closed">{ "┅ ✓ closed path" }</span>
                <span class="legend-peering">{ "┈ peering" }</span>
                <details class="legend-more">
                    <summary>{ "Legend" }</summary>
                    <p>
                        { for LEGEND_KINDS.iter().map(|kind| html! {
                            <span>{ format!("{} {}", kind.marker(), kind.noun()) }</span>
                        }) }
                    </p>
                    <p>{ "Numbers count the flows on an edge (✗ 2/5: two of five are problems). Azure services the design does not model and the attacker sinks are added by the analysis and named for what they stand for. Drag or scroll to pan, Ctrl+scroll or +/− to zoom, F fits." }</p>
                </details>
            </div>
        </section>
    }
}
