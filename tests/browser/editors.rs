//! The policy editors and panels in the browser: a route edited through its form (an invalid
//! prefix shows the message and disables Apply; a valid one lands in the table and can be
//! undone), a DNAT collection and rule added through the firewall editor (bad fields named, a
//! destination off the public IP flagged, undoable), the gateway propagation checkbox, the
//! semantics options panel listing every `OPTION_INFO` key and a checkbox recomputing, and the
//! compliance checks in the flows panel.

use gloo::storage::{LocalStorage, Storage};
use vnetlab::model::OPTION_INFO;
use vnetlab::ui::App;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::wasm_bindgen_test;
use web_sys::{Element, HtmlElement, HtmlInputElement};

async fn render() -> Element {
    LocalStorage::clear();
    let document = gloo::utils::document();
    let root = document.create_element("div").unwrap();
    document.body().unwrap().append_child(&root).unwrap();
    yew::Renderer::<App>::with_root(root.clone()).render();
    yew::scheduler::flush().await;
    root
}

fn query(root: &Element, selector: &str) -> Option<Element> {
    root.query_selector(selector).unwrap()
}

fn by_testid(root: &Element, testid: &str) -> Element {
    query(root, &format!("[data-testid=\"{testid}\"]"))
        .unwrap_or_else(|| panic!("{testid} is rendered"))
}

async fn click(element: Element) {
    element.dyn_into::<HtmlElement>().unwrap().click();
    yew::scheduler::flush().await;
}

/// Types `value` into the input with `testid` (an `input` event, as the browser sends).
async fn type_into(root: &Element, testid: &str, value: &str) {
    let input: HtmlInputElement = by_testid(root, testid).dyn_into().unwrap();
    input.set_value(value);
    let init = web_sys::EventInit::new();
    init.set_bubbles(true);
    let event = web_sys::Event::new_with_event_init_dict("input", &init).unwrap();
    input.dispatch_event(&event).unwrap();
    yew::scheduler::flush().await;
}

fn apply_disabled(root: &Element, testid: &str) -> bool {
    by_testid(root, testid).has_attribute("disabled")
}

#[wasm_bindgen_test]
async fn a_route_round_trips_through_its_form_with_inline_validation() {
    let root = render().await;
    click(by_testid(&root, "add-route-rt")).await;
    by_testid(&root, "route-form");
    type_into(&root, "route-name", "storage-direct").await;
    type_into(&root, "route-prefix", "*").await;
    assert!(by_testid(&root, "route-prefix-error")
        .text_content()
        .unwrap()
        .contains("not `*`"));
    assert!(apply_disabled(&root, "route-apply"));
    type_into(&root, "route-prefix", "Storage").await;
    assert!(query(&root, "[data-testid=\"route-prefix-error\"]").is_none());
    assert!(!apply_disabled(&root, "route-apply"));
    click(by_testid(&root, "route-apply")).await;
    let row = by_testid(&root, "route-rt-storage-direct");
    assert!(row.text_content().unwrap().contains("Storage"));
    assert!(query(&root, "[data-testid=\"route-form\"]").is_none());
    click(by_testid(&root, "undo")).await;
    assert!(query(&root, "[data-testid=\"route-rt-storage-direct\"]").is_none());
    root.remove();
}

#[wasm_bindgen_test]
async fn the_options_panel_lists_every_option_and_a_checkbox_recomputes() {
    let root = render().await;
    by_testid(&root, "options-panel");
    for info in OPTION_INFO {
        let row = query(&root, &format!("[data-option=\"{}\"]", info.key))
            .unwrap_or_else(|| panic!("{} is listed", info.key));
        let text = row.text_content().unwrap();
        assert!(
            text.contains(info.title) && text.contains(info.reference),
            "{text}"
        );
        by_testid(&root, &format!("option-{}", info.key));
    }
    let checkbox: HtmlInputElement = by_testid(&root, "option-legacy_batch_inbound")
        .dyn_into()
        .unwrap();
    assert!(!checkbox.checked());
    checkbox.click();
    yew::scheduler::flush().await;
    let checkbox: HtmlInputElement = by_testid(&root, "option-legacy_batch_inbound")
        .dyn_into()
        .unwrap();
    assert!(checkbox.checked());
    assert!(query(&root, "[data-option=\"legacy_batch_inbound\"].changed").is_some());
    assert!(!by_testid(&root, "undo").has_attribute("disabled"));
    root.remove();
}

#[wasm_bindgen_test]
async fn the_flows_panel_lists_compliance_checks_and_the_diagnostics_panel_renders() {
    let root = render().await;
    let checks = root
        .query_selector_all("[data-testid=\"compliance-row\"]")
        .unwrap();
    assert!(checks.length() > 0);
    by_testid(&root, "diagnostics-panel");
    by_testid(&root, "route-editor");
    by_testid(&root, "firewall-editor");
    by_testid(&root, "sep-editor");
    by_testid(&root, "resource-firewalls");
    root.remove();
}

#[wasm_bindgen_test]
async fn a_dnat_rule_is_added_through_its_form_and_gateway_propagation_switches() {
    let root = render().await;
    click(by_testid(&root, "add-nat-collection-fw")).await;
    by_testid(&root, "collection-fw-dnat-rules");
    click(by_testid(&root, "add-nat-rule-dnat-rules")).await;
    by_testid(&root, "nat-rule-form");
    for field in [
        "name",
        "protocols",
        "sources",
        "destination_address",
        "destination_ports",
        "translated_address",
        "translated_port",
    ] {
        by_testid(&root, &format!("nat-rule-{field}"));
    }
    assert!(
        query(&root, "[data-testid=\"nat-rule-protocols-icmp\"]").is_none(),
        "a DNAT rule offers only tcp, udp and any"
    );
    click(by_testid(&root, "nat-rule-protocols-tcp")).await;
    type_into(&root, "nat-rule-translated_port", "70000").await;
    assert!(by_testid(&root, "nat-rule-protocols-error")
        .text_content()
        .unwrap()
        .contains("at least one protocol"));
    by_testid(&root, "nat-rule-translated_port-error");
    assert!(apply_disabled(&root, "nat-rule-apply"));
    click(by_testid(&root, "nat-rule-protocols-tcp")).await;
    type_into(&root, "nat-rule-translated_port", "22").await;
    type_into(&root, "nat-rule-destination_address", "20.0.0.2").await;
    assert!(by_testid(&root, "nat-rule-destination-warning")
        .text_content()
        .unwrap()
        .contains("20.0.0.1"));
    type_into(&root, "nat-rule-destination_address", "20.0.0.1").await;
    assert!(query(&root, "[data-testid=\"nat-rule-destination-warning\"]").is_none());
    assert!(!apply_disabled(&root, "nat-rule-apply"));
    click(by_testid(&root, "nat-rule-apply")).await;
    let row = by_testid(&root, "nat-rule-dnat-rules-dnat-ssh");
    assert!(row.text_content().unwrap().contains("20.0.0.1:2222"));
    click(by_testid(&root, "undo")).await;
    assert!(query(&root, "[data-testid=\"nat-rule-dnat-rules-dnat-ssh\"]").is_none());

    let checkbox: HtmlInputElement = by_testid(&root, "gateway-propagation-rt")
        .dyn_into()
        .unwrap();
    assert!(!checkbox.checked());
    checkbox.click();
    yew::scheduler::flush().await;
    let checkbox: HtmlInputElement = by_testid(&root, "gateway-propagation-rt")
        .dyn_into()
        .unwrap();
    assert!(checkbox.checked());
    root.remove();
}
