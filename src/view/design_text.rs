//! A design together with the JSON text it was read from, so that handing it on does not
//! write it again: the design an import sends the page goes on to the analysis worker as the
//! text the import module wrote (writing a 10-spoke design takes the page's thread for about
//! 55 ms). The text is kept only beside the design it spells; a changed design is a new
//! [`Rc`] and is written afresh.
//!
//! The text is in parts ([`DesignParts`]): the design without its element lists, then each
//! list's elements in parts of about [`PART_BYTES`]. The page reads an imported design a few
//! parts per task ([`PartsReader`]), so that reading a large design never holds its thread
//! for long, and no part of the text is scanned twice (the parts cross as bytes, not as JSON
//! inside JSON: `ui::design_transit`).

use std::borrow::Cow;
use std::rc::Rc;

use serde::{Deserialize, Serialize};

use crate::model::Design;

/// About how many bytes of elements a part holds (a part holds at least one element).
pub const PART_BYTES: usize = 64 * 1024;

/// A design as JSON text in parts: `head` is the design with the element lists written in
/// parts left out, each part some of one list's elements, in order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DesignParts {
    pub head: String,
    pub parts: Vec<Part>,
}

/// Consecutive elements of the design's list `list` (its JSON name), as a JSON array.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Part {
    pub list: String,
    pub elements: String,
}

/// Writes and reads every element list of [`Design`] by its name. A list left out here is
/// written in the head, which is still right, only not read in parts.
macro_rules! element_lists {
    ($($list:ident),* $(,)?) => {
        /// Takes every element list out of `design`, each written as parts.
        fn take_lists(design: &mut Design) -> Vec<Part> {
            let mut parts = Vec::new();
            $( write_parts(stringify!($list), std::mem::take(&mut design.$list), &mut parts); )*
            parts
        }

        /// Appends the part's elements to their list in `design`.
        fn append_part(design: &mut Design, part: &Part) -> Result<(), serde_json::Error> {
            match part.list.as_str() {
                $( stringify!($list) => design.$list.extend(
                    serde_json::from_str::<Vec<_>>(&part.elements)?
                ), )*
                other => {
                    return Err(serde::de::Error::custom(format!("no element list `{other}`")))
                }
            }
            Ok(())
        }
    };
}

element_lists!(
    virtual_networks,
    peerings,
    gateways,
    network_security_groups,
    network_managers,
    application_security_groups,
    route_tables,
    computes,
    private_endpoints,
    private_dns_zones,
    firewalls,
    load_balancers,
    firewall_policies,
    ip_groups,
    service_endpoint_policies,
    resources,
    network_security_perimeters,
    workspaces,
    services,
    external_hosts,
);

/// Writes `elements` of the list `list` as parts of about [`PART_BYTES`].
fn write_parts<T: Serialize>(list: &str, elements: Vec<T>, parts: &mut Vec<Part>) {
    let mut written = String::new();
    for element in elements {
        written.push(if written.is_empty() { '[' } else { ',' });
        written.push_str(&serde_json::to_string(&element).expect("design elements serialize"));
        if written.len() >= PART_BYTES {
            parts.push(part(list, std::mem::take(&mut written)));
        }
    }
    if !written.is_empty() {
        parts.push(part(list, written));
    }
}

fn part(list: &str, mut elements: String) -> Part {
    elements.push(']');
    Part {
        list: list.to_string(),
        elements,
    }
}

impl DesignParts {
    /// `design` written in parts.
    pub fn write(mut design: Design) -> Self {
        let parts = take_lists(&mut design);
        DesignParts {
            head: serde_json::to_string(&design).expect("a design serializes"),
            parts,
        }
    }

    /// `design` written whole, as the head alone (the page writes a design it changed so: it
    /// does not own it, and the worker reads it in one go).
    pub fn whole(design: &Design) -> Self {
        DesignParts {
            head: serde_json::to_string(design).expect("a design serializes"),
            parts: Vec::new(),
        }
    }
}

/// Reads a design's parts as they come: the head when made, then one part per
/// [`PartsReader::read`], keeping each part read; [`PartsReader::finish`] gives the design
/// with its text.
#[derive(Debug)]
pub struct PartsReader {
    design: Design,
    text: DesignParts,
}

impl PartsReader {
    pub fn new(head: String) -> Result<Self, serde_json::Error> {
        Ok(PartsReader {
            design: serde_json::from_str(&head)?,
            text: DesignParts {
                head,
                parts: Vec::new(),
            },
        })
    }

    /// Appends the part's elements to the design.
    pub fn read(&mut self, part: Part) -> Result<(), serde_json::Error> {
        append_part(&mut self.design, &part)?;
        self.text.parts.push(part);
        Ok(())
    }

    /// The design read, with the parts it was read from.
    pub fn finish(self) -> DesignText {
        DesignText {
            design: Rc::new(self.design),
            text: Some(Rc::new(self.text)),
        }
    }
}

/// A design and, when it was read from JSON, that text ([`DesignText::written`]). Two are
/// equal when their designs are (the text is how a design was spelled, not part of it).
#[derive(Debug, Clone)]
pub struct DesignText {
    pub design: Rc<Design>,
    pub text: Option<Rc<DesignParts>>,
}

impl DesignText {
    /// `design`, with no text: written whole when it is handed on.
    pub fn new(design: Rc<Design>) -> Self {
        DesignText { design, text: None }
    }

    /// The parts the design was read from, or the design written whole when there are none:
    /// what is handed on to the analysis worker.
    pub fn written(&self) -> Cow<'_, DesignParts> {
        match &self.text {
            Some(parts) => Cow::Borrowed(parts),
            None => Cow::Owned(DesignParts::whole(&self.design)),
        }
    }

    /// The text, when this is `design` itself (not a copy or another design).
    pub fn text_of(&self, design: &Rc<Design>) -> Option<Rc<DesignParts>> {
        Rc::ptr_eq(&self.design, design)
            .then(|| self.text.clone())
            .flatten()
    }
}

impl PartialEq for DesignText {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.design, &other.design) || self.design == other.design
    }
}
