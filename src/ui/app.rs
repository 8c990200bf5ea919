//! The root component: header, design panel, diagram and flows panel.

use yew::prelude::*;

use super::shell::{DesignPanel, DiagramArea, FlowsPanel, Header};

#[function_component(App)]
pub fn app() -> Html {
    html! {
        <div class="shell" data-testid="shell">
            <Header />
            <main class="workspace">
                <DesignPanel />
                <DiagramArea />
                <FlowsPanel />
            </main>
        </div>
    }
}
