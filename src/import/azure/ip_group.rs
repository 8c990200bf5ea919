//! IP groups (`Microsoft.Network/ipGroups`): named sets of prefixes, addresses and ranges that
//! firewall rules refer to.

use super::context::Context;
use super::merge::insert_named;
use super::resource::Resource;
use super::values;
use crate::model::{Design, IpGroup};

pub(super) fn ip_group(context: &mut Context, design: &mut Design, resource: &Resource) {
    let name = resource.name();
    let properties = resource.properties();
    let mut prefixes = Vec::new();
    for (node, text) in context.texts(name, &properties, "ipAddresses") {
        prefixes.extend(
            context
                .report(name, &node, values::prefixes(text))
                .unwrap_or_default(),
        );
    }
    let group = IpGroup {
        name: name.to_string(),
        prefixes,
    };
    insert_named(
        context,
        &mut design.ip_groups,
        group,
        |g| &g.name,
        "IP group",
        &resource.node,
    );
}
