//! A design together with the JSON text it was read from, so that handing it on does not
//! write it again: the design an import sends the page, read from the import worker's answer,
//! goes to the analysis worker as that text (writing a 10-spoke design takes the page's
//! thread for about 55 ms). The text is kept only beside the design it spells; a changed
//! design is a new [`Rc`] and is written afresh.

use std::rc::Rc;

use serde::de::Error as _;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::value::RawValue;

use crate::model::Design;

/// A design and, when it was read from JSON, that text. Written as the text when there is
/// one, else as the design; read (with serde_json) keeping the text. Two are equal when their
/// designs are (the text is how a design was spelled, not part of it).
#[derive(Debug, Clone)]
pub struct DesignText {
    pub design: Rc<Design>,
    pub text: Option<Rc<RawValue>>,
}

impl DesignText {
    /// `design`, with no text: written when it is serialized.
    pub fn new(design: Rc<Design>) -> Self {
        DesignText { design, text: None }
    }

    /// The design read from `text`, which is kept.
    pub fn read(text: Box<RawValue>) -> Result<Self, serde_json::Error> {
        Ok(DesignText {
            design: Rc::new(serde_json::from_str(text.get())?),
            text: Some(Rc::from(text)),
        })
    }

    /// The text, when this is `design` itself (not a copy or another design).
    pub fn text_of(&self, design: &Rc<Design>) -> Option<Rc<RawValue>> {
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

impl Serialize for DesignText {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match &self.text {
            Some(text) => text.serialize(serializer),
            None => self.design.serialize(serializer),
        }
    }
}

impl<'de> Deserialize<'de> for DesignText {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        DesignText::read(Deserialize::deserialize(deserializer)?).map_err(D::Error::custom)
    }
}
