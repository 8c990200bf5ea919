//! Links into the app: the page query, opening a linked flow's trace, the share link, the embed
//! link and the `<iframe>` snippet the share dialog copies.

use vnetlab::model::Design;
use vnetlab::view::embed::{embed_link, embed_snippet, parse_query, share_link, start, PageQuery};
use vnetlab::view::share::decode_fragment;
use vnetlab::view::startup::Startup;

use super::preset;

const PAGE: &str = "https://wiki.example/vnetlab/";

#[test]
fn the_query_says_embed_and_which_flow_to_open() {
    assert_eq!(parse_query(""), PageQuery::default());
    assert_eq!(
        parse_query("?embed=1&flow=ci%20%E2%86%92%20storage+tcp%2F443&x=y"),
        PageQuery {
            embed: true,
            flow: Some("ci → storage tcp/443".to_string())
        }
    );
    assert!(parse_query("embed=true").embed);
    assert!(!parse_query("?embed=0").embed);
    assert!(!parse_query("?embedded=1").embed);
    assert_eq!(parse_query("?flow=").flow, None);
}

#[test]
fn an_embed_link_opens_the_same_design_and_flow() {
    let design = preset("dlp-sep-nsg");
    let flow = "synthetic-azuremachinelearning → ci-notebook tcp/44224".to_string();
    let link = embed_link(PAGE, &design, Some(&flow));
    let (address, fragment) = link.split_once('#').expect("the design is in the fragment");
    let (page, query) = address.split_once('?').expect("a query");
    assert_eq!(page, PAGE);
    assert_eq!(
        parse_query(query),
        PageQuery {
            embed: true,
            flow: Some(flow.clone())
        }
    );
    assert_eq!(decode_fragment(fragment).unwrap().design, design);
    assert!(!embed_link(PAGE, &design, None).contains("flow="));

    let shared = share_link(PAGE, &design, None);
    assert!(shared.starts_with(&format!("{PAGE}#design=")), "{shared}");
    assert_eq!(
        decode_fragment(shared.split_once('#').unwrap().1)
            .unwrap()
            .design,
        design
    );
    let with_flow = share_link(PAGE, &design, Some(&flow));
    let query = with_flow
        .split_once('?')
        .unwrap()
        .1
        .split_once('#')
        .unwrap()
        .0;
    assert_eq!(parse_query(query).flow.as_deref(), Some(flow.as_str()));
    assert!(!parse_query(query).embed);
}

#[test]
fn a_linked_flow_opens_its_trace_and_an_unknown_one_is_reported() {
    let plain = start(Startup::default(), None);
    assert_eq!(plain.selected, None);
    let flow = plain.evaluation.results.last().unwrap().question.id.clone();
    let opened = start(Startup::default(), Some(&flow));
    assert_eq!(opened.selected.as_deref(), Some(flow.as_str()));
    assert_eq!(opened.error, None);

    let missing = start(
        Startup {
            embed: true,
            ..Startup::default()
        },
        Some("no such flow"),
    );
    assert_eq!(missing.selected, None);
    assert!(missing.read_only);
    let error = missing.error.expect("the banner says so");
    assert!(error.contains("no such flow"), "{error}");
    assert_eq!(missing.design, plain.design, "the design is shown anyway");
}

#[test]
fn the_snippet_is_an_iframe_with_escaped_title_and_address() {
    let mut design = Design::new("<Prod> \"east\" & 'west'");
    design.virtual_networks.clear();
    let snippet = embed_snippet(PAGE, &design, Some("a → b"));
    assert!(snippet.starts_with("<iframe src=\"https://wiki.example/vnetlab/?embed=1&amp;flow=a%20%E2%86%92%20b#design="), "{snippet}");
    assert!(
        snippet.contains("title=\"vnetlab: &lt;Prod&gt; &quot;east&quot; &amp; &#39;west&#39;\""),
        "{snippet}"
    );
    assert!(snippet.contains("width=\"800\" height=\"500\""));
    assert!(snippet.ends_with("></iframe>"));
    assert_eq!(snippet.matches('"').count() % 2, 0);
    assert_eq!(
        snippet.matches('<').count(),
        2,
        "only the two tags: {snippet}"
    );
}
