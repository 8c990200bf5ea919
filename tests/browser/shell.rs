//! The page shell renders its four regions.

use vnetlab::ui::App;
use wasm_bindgen_test::wasm_bindgen_test;

#[wasm_bindgen_test]
async fn shell_renders_header_and_three_panels() {
    let document = gloo::utils::document();
    let root = document.create_element("div").unwrap();
    document.body().unwrap().append_child(&root).unwrap();

    yew::Renderer::<App>::with_root(root.clone()).render();
    yew::scheduler::flush().await;

    let brand = root
        .query_selector(".brand")
        .unwrap()
        .expect("header brand");
    assert_eq!(brand.text_content().as_deref(), Some("vnetlab"));
    for region in ["design-panel", "diagram", "flows-panel"] {
        let selector = format!("[data-testid=\"{region}\"]");
        assert!(
            root.query_selector(&selector).unwrap().is_some(),
            "{region} is rendered"
        );
    }
}
