//! The reducer adapter: `view::state::apply` does the work; the handle is shared by context.

use std::rc::Rc;

use yew::prelude::*;

use crate::model::{Design, Diagnostic};
use crate::view::state::{apply, Action, AppState};

impl Reducible for AppState {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        Rc::new(apply((*self).clone(), action))
    }
}

/// The app state and its dispatcher, provided to every component. Compared by identity: every
/// change is a new state, and yew compares reducer handles by their states' contents, which
/// walks the design, its evaluation and the history (25 ms on a 10-spoke design) whenever the
/// root renders.
#[derive(Clone)]
pub struct AppContext {
    handle: UseReducerHandle<AppState>,
    /// The address of the state this handle showed when it was made; the handle keeps that
    /// state alive, so no other state can have it meanwhile.
    state: usize,
}

impl AppContext {
    pub fn new(handle: UseReducerHandle<AppState>) -> Self {
        let state = std::ptr::from_ref::<AppState>(&handle) as usize;
        AppContext { handle, state }
    }
}

impl std::ops::Deref for AppContext {
    type Target = UseReducerHandle<AppState>;

    fn deref(&self) -> &Self::Target {
        &self.handle
    }
}

impl PartialEq for AppContext {
    fn eq(&self, other: &Self) -> bool {
        self.state == other.state
    }
}

/// The dispatcher alone, the same for the app's lifetime: a component that gets its data as
/// props and only dispatches is not re-rendered by every change, as context consumers are.
pub type AppDispatch = UseReducerDispatcher<AppState>;

/// The app's dispatcher; every component sits under the provider of `App`.
#[hook]
pub fn use_dispatch() -> AppDispatch {
    use_context::<AppDispatch>().expect("components are rendered inside App's context provider")
}

/// The app context; every component sits under the provider of `App`.
#[hook]
pub fn use_app() -> AppContext {
    use_context::<AppContext>().expect("components are rendered inside App's context provider")
}

/// What the design's editors read: the design, its scenario and its diagnostics, with the
/// dispatcher. A context of its own that changes only when these do, so the analysis
/// worker's answers, a selection or a filter do not render the editors again.
#[derive(Clone)]
pub struct DesignContext {
    pub design: Rc<Design>,
    pub scenario: AttrValue,
    /// The design's validation and compilation diagnostics.
    pub diagnostics: Rc<Vec<Diagnostic>>,
    dispatcher: AppDispatch,
}

impl DesignContext {
    pub fn of(app: &AppContext) -> Self {
        DesignContext {
            design: app.design.clone(),
            scenario: AttrValue::from(app.scenario.clone()),
            diagnostics: Rc::new(app.evaluation.diagnostics.clone()),
            dispatcher: app.dispatcher(),
        }
    }

    pub fn dispatch(&self, action: Action) {
        self.dispatcher.dispatch(action)
    }
}

impl PartialEq for DesignContext {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.design, &other.design)
            && self.scenario == other.scenario
            && self.diagnostics == other.diagnostics
    }
}

/// The design's editors' context; every component sits under the provider of `App`.
#[hook]
pub fn use_design_context() -> DesignContext {
    use_context::<DesignContext>().expect("components are rendered inside App's context provider")
}

/// What can dispatch an action: the app's handle or the editors' context.
pub trait Dispatches {
    fn dispatcher(&self) -> AppDispatch;
}

impl Dispatches for AppContext {
    fn dispatcher(&self) -> AppDispatch {
        self.handle.dispatcher()
    }
}

impl Dispatches for DesignContext {
    fn dispatcher(&self) -> AppDispatch {
        self.dispatcher.clone()
    }
}

/// A callback dispatching a fixed action, for buttons.
pub fn dispatch_on_click(app: &impl Dispatches, action: Action) -> Callback<MouseEvent> {
    let dispatcher = app.dispatcher();
    Callback::from(move |_| dispatcher.dispatch(action.clone()))
}

/// An `Rc` compared by identity, for hook dependencies: a new design or evaluation is a new
/// `Rc`, and comparing their contents on every render would cost more than the work they guard.
#[derive(Clone)]
pub struct ByPtr<T>(pub Rc<T>);

impl<T> PartialEq for ByPtr<T> {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}
