//! The reducer adapter: `view::state::apply` does the work; the handle is shared by context.

use std::rc::Rc;

use yew::prelude::*;

use crate::view::state::{apply, Action, AppState};

impl Reducible for AppState {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        Rc::new(apply((*self).clone(), action))
    }
}

/// The app state and its dispatcher, provided to every component.
pub type AppContext = UseReducerHandle<AppState>;

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

/// A callback dispatching a fixed action, for buttons.
pub fn dispatch_on_click(app: &AppContext, action: Action) -> Callback<MouseEvent> {
    let app = app.clone();
    Callback::from(move |_| app.dispatch(action.clone()))
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
