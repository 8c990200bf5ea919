//! The app rendered in the browser: its regions, a toggle click recomputing the flows, the
//! step-through, and names rendered as text.

use gloo::storage::{LocalStorage, Storage};
use vnetlab::ui::App;
use vnetlab::view::autosave;
use wasm_bindgen_test::wasm_bindgen_test;
use web_sys::Element;

/// Renders the app into a fresh element, from a clean or given autosave.
async fn render(autosave: Option<String>) -> Element {
    LocalStorage::clear();
    if let Some(text) = autosave {
        LocalStorage::raw()
            .set_item(autosave::STORAGE_KEY, &text)
            .unwrap();
    }
    let document = gloo::utils::document();
    let root = document.create_element("div").unwrap();
    document.body().unwrap().append_child(&root).unwrap();
    yew::Renderer::<App>::with_root(root.clone()).render();
    yew::scheduler::flush().await;
    root
}

fn by_testid(root: &Element, testid: &str) -> Element {
    root.query_selector(&format!("[data-testid=\"{testid}\"]"))
        .unwrap()
        .unwrap_or_else(|| panic!("{testid} is rendered"))
}

fn text(root: &Element, testid: &str) -> String {
    by_testid(root, testid).text_content().unwrap_or_default()
}

async fn click(root: &Element, testid: &str) {
    let element: web_sys::HtmlElement =
        wasm_bindgen::JsCast::dyn_into(by_testid(root, testid)).unwrap();
    element.click();
    yew::scheduler::flush().await;
}

#[wasm_bindgen_test]
async fn shell_renders_header_and_three_panels() {
    let root = render(None).await;
    let brand = root
        .query_selector(".brand")
        .unwrap()
        .expect("header brand");
    assert_eq!(brand.text_content().as_deref(), Some("vnetlab"));
    for region in ["design-panel", "diagram", "flows-panel"] {
        by_testid(&root, region);
    }
    root.remove();
}

#[wasm_bindgen_test]
async fn flipping_the_sep_toggle_opens_exfiltration_paths_and_undo_closes_them() {
    let root = render(None).await;
    assert!(text(&root, "flow-summary").contains("0 exfiltration path(s) open"));
    let toggle = by_testid(&root, "toggle-sep-attached");
    assert_eq!(
        toggle.get_attribute("aria-pressed").as_deref(),
        Some("true")
    );

    click(&root, "toggle-sep-attached").await;
    assert_eq!(
        by_testid(&root, "toggle-sep-attached")
            .get_attribute("aria-pressed")
            .as_deref(),
        Some("false")
    );
    assert!(!text(&root, "flow-summary").contains("0 exfiltration path(s) open"));
    let open = root
        .query_selector_all("[data-testid=\"section-exfiltration\"] [data-status=\"open\"]")
        .unwrap();
    assert!(open.length() > 0, "open paths are listed");
    assert!(text(&root, "last-change").contains("exfil path"));

    click(&root, "undo").await;
    assert!(text(&root, "flow-summary").contains("0 exfiltration path(s) open"));
    root.remove();
}

#[wasm_bindgen_test]
async fn selecting_a_flow_steps_through_its_hops_on_the_diagram() {
    let root = render(None).await;
    let first = root
        .query_selector("[data-testid=\"section-required\"] .flow-row")
        .unwrap()
        .unwrap();
    let first: web_sys::HtmlElement = wasm_bindgen::JsCast::dyn_into(first).unwrap();
    first.click();
    yew::scheduler::flush().await;
    assert!(text(&root, "step-label").starts_with("Hop 1 of"));
    assert!(root
        .query_selector("[data-current=\"true\"]")
        .unwrap()
        .is_some());
    click(&root, "step-next").await;
    assert!(text(&root, "step-label").starts_with("Hop 2 of"));
    click(&root, "step-back").await;
    assert!(text(&root, "step-label").starts_with("Hop 1 of"));
    root.remove();
}

#[wasm_bindgen_test]
async fn names_with_markup_render_as_text() {
    let mut design = vnetlab::view::scenarios::default_preset().design().unwrap();
    design.name = "<script>window.injected = 1</script>".to_string();
    design.computes[0].name = "<img src=x onerror=alert(1)>".to_string();
    let root = render(Some(autosave::encode(&design, ""))).await;
    assert_eq!(text(&root, "design-name"), design.name);
    assert!(root.query_selector("script").unwrap().is_none());
    assert!(root.query_selector("img").unwrap().is_none());
    assert!(root
        .text_content()
        .unwrap()
        .contains("<img src=x onerror=alert(1)>"));
    root.remove();
    LocalStorage::clear();
}
