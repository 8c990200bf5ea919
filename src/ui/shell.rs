//! The four regions of the page layout.

use yew::prelude::*;

#[function_component(Header)]
pub fn header() -> Html {
    html! {
        <header class="app-header">
            <h1 class="brand">{ "vnetlab" }</h1>
            <span class="tagline">{ "Azure ML network designs: flows, traces, exfiltration paths" }</span>
            <label class="scenario-picker">
                { "Scenario " }
                <select id="scenario-picker" aria-label="Scenario" disabled=true>
                    <option>{ "Built-in scenarios arrive with the analysis engine" }</option>
                </select>
            </label>
        </header>
    }
}

#[function_component(DesignPanel)]
pub fn design_panel() -> Html {
    html! {
        <aside class="panel design-panel" aria-label="Design" data-testid="design-panel">
            <h2>{ "Design" }</h2>
            <p class="empty">{ "No design loaded." }</p>
        </aside>
    }
}

#[function_component(DiagramArea)]
pub fn diagram_area() -> Html {
    html! {
        <section class="diagram" aria-label="Topology diagram" data-testid="diagram">
            <svg class="diagram-canvas" viewBox="0 0 800 500" role="img" aria-label="Empty topology">
                <rect class="vnet-placeholder" x="40" y="40" width="720" height="420" rx="12" />
                <text x="400" y="255" text-anchor="middle">{ "Load a design to see its topology" }</text>
            </svg>
        </section>
    }
}

#[function_component(FlowsPanel)]
pub fn flows_panel() -> Html {
    html! {
        <aside class="panel flows-panel" aria-label="Flows" data-testid="flows-panel">
            <h2>{ "Flows" }</h2>
            <p class="empty">{ "Required flows and exfiltration paths appear here." }</p>
        </aside>
    }
}
