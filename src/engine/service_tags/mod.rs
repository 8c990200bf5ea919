//! Service tags: Microsoft's names for groups of Azure public addresses (`Storage.EastUS`,
//! `AzureMachineLearning`, ...), which NSG rules, routes and firewall rules use instead of
//! prefixes.
//!
//! The engine needs two things from them:
//!
//! - **Names** ([`lookup_tag`]): whether a tag written in a design is one Azure knows, its
//!   canonical spelling (Azure matches case-insensitively), and the misspellings the Azure ML
//!   docs use (normalised with a note, so the design still evaluates but the user is warned).
//!   Every service name and region of Microsoft's full file is known, even for services whose
//!   prefixes are not shipped.
//! - **Prefixes** ([`ServiceTagData`]): which addresses a tag covers, to match flows against
//!   tagged rules and to build service-tag routes. The compiled-in data
//!   ([`ServiceTagData::embedded`]) is generated from Microsoft's official file by
//!   `examples/gen_service_tags.rs` (see [`encode_compact`]) for the tags Azure ML designs use;
//!   users can load a newer download with [`ServiceTagData::from_microsoft_json`].
//!
//! Only IPv4 is modelled: IPv6 prefixes in Microsoft's data are dropped when it is read.

mod compact;
mod data;
mod embedded;
mod microsoft;
mod names;
mod ranges;
mod tag;

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests;

pub use compact::encode_compact;
pub use data::ServiceTagData;
pub use names::{lookup_tag, TagLookup};
pub use tag::CanonicalTag;
