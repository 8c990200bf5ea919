//! Reading Microsoft's service-tag JSON: the weekly download (`ServiceTags_Public_*.json`,
//! `{"changeNumber", "cloud", "values": [tag, ...]}`), a single tag object as the REST API and
//! `az network list-service-tags` return (`{"name", "id", "properties": {...}}`), or an array of
//! such tags. IPv6 prefixes are dropped here: the engine models IPv4 only.

use std::net::IpAddr;

use ipnet::{IpNet, Ipv4Net};
use serde::Deserialize;
use serde_json::Value;

use super::names::TagNames;

/// What kind of document was read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum DocumentShape {
    /// Microsoft's full file, with its cloud and change number when present.
    FullFile {
        cloud: Option<String>,
        change_number: Option<u64>,
    },
    /// One tag object.
    SingleTag,
    /// An array of tag objects.
    TagArray,
}

/// A parsed Microsoft document.
#[derive(Debug)]
pub(crate) struct MicrosoftDocument {
    pub(crate) shape: DocumentShape,
    pub(crate) tags: Vec<PublishedTag>,
}

/// One tag as Microsoft publishes it, IPv4 prefixes only.
#[derive(Debug)]
pub(crate) struct PublishedTag {
    /// The name as written in the file (`Storage.EastUS`, `AzureCloud.eastus`).
    pub(crate) name: String,
    /// `properties.region` (`eastus`, `brazilse`), empty for tags that are not regional.
    pub(crate) region: String,
    pub(crate) ipv4_prefixes: Vec<Ipv4Net>,
}

impl PublishedTag {
    /// The service and region suffix of the name. Only tags with a `properties.region` are
    /// split, at the last dot: `AzureFrontDoor.Frontend` has no region and is a service of its
    /// own. The suffix is the name's, not `properties.region`, which differs for some regions
    /// (`ActionGroup.BrazilSoutheast` has region `brazilse`).
    pub(crate) fn service_and_region(&self) -> (&str, Option<&str>) {
        match self.name.rsplit_once('.') {
            Some((service, region)) if !self.region.is_empty() => (service, Some(region)),
            _ => (&self.name, None),
        }
    }
}

/// The service names and regions a document defines: every service, with or without a regional
/// tag, and every region (name suffixes of regional tags, plus the `properties.region` values).
pub(crate) fn names_of(tags: &[PublishedTag]) -> TagNames {
    let mut names = TagNames::default();
    for tag in tags {
        let (service, region) = tag.service_and_region();
        names.add_service(service);
        if let Some(region) = region {
            names.add_region(region);
        }
        if !tag.region.is_empty() {
            names.add_region(&tag.region);
        }
    }
    names
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawFile {
    change_number: Option<u64>,
    cloud: Option<String>,
    values: Vec<RawTag>,
}

#[derive(Deserialize)]
struct RawTag {
    name: String,
    properties: RawProperties,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawProperties {
    #[serde(default)]
    region: Option<String>,
    address_prefixes: Vec<String>,
}

/// Parses any of the three shapes described in the module docs.
pub(crate) fn parse_microsoft_json(json: &str) -> Result<MicrosoftDocument, String> {
    let value: Value =
        serde_json::from_str(json).map_err(|error| format!("not valid JSON: {error}"))?;
    let (shape, raw_tags) = match value {
        Value::Object(ref object) if object.contains_key("values") => {
            let file: RawFile = serde_json::from_value(value)
                .map_err(|error| format!("not a Microsoft service tag file: {error}"))?;
            let shape = DocumentShape::FullFile {
                cloud: file.cloud,
                change_number: file.change_number,
            };
            (shape, file.values)
        }
        Value::Object(ref object) if object.contains_key("name") => {
            let tag: RawTag = serde_json::from_value(value)
                .map_err(|error| format!("not a Microsoft service tag: {error}"))?;
            (DocumentShape::SingleTag, vec![tag])
        }
        Value::Array(_) => {
            let tags: Vec<RawTag> = serde_json::from_value(value)
                .map_err(|error| format!("not an array of Microsoft service tags: {error}"))?;
            (DocumentShape::TagArray, tags)
        }
        _ => {
            return Err(
                "expected Microsoft's service tag file ({\"values\": [...]}), one tag \
                        ({\"name\": ..., \"properties\": {...}}) or an array of tags"
                    .to_owned(),
            )
        }
    };
    let tags = raw_tags
        .into_iter()
        .map(published_tag)
        .collect::<Result<_, _>>()?;
    Ok(MicrosoftDocument { shape, tags })
}

fn published_tag(raw: RawTag) -> Result<PublishedTag, String> {
    let mut ipv4_prefixes = Vec::with_capacity(raw.properties.address_prefixes.len());
    for written in &raw.properties.address_prefixes {
        let prefix: IpNet = written
            .parse()
            .or_else(|_| written.parse::<IpAddr>().map(IpNet::from))
            .map_err(|_| format!("tag {}: invalid address prefix {written:?}", raw.name))?;
        if let IpNet::V4(prefix) = prefix {
            ipv4_prefixes.push(prefix.trunc());
        }
    }
    Ok(PublishedTag {
        name: raw.name,
        region: raw.properties.region.unwrap_or_default(),
        ipv4_prefixes,
    })
}
