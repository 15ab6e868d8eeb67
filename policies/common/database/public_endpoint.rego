# METADATA
# title: Database reachable from the internet
# description: |
#   AWS: the RDS instance is publicly accessible. Azure: a SQL server firewall
#   rule spans 0.0.0.0–255.255.255.255, or several rules do together, while
#   public network access is not disabled (0.0.0.0–0.0.0.0 means "Azure
#   services", not the internet). GCP: an authorized network 0.0.0.0/0, or
#   several that together hold every address, on an instance whose public IP is
#   not disabled.
# custom:
#   id: DD-DB-001
#   severity: CRITICAL
#   kinds: [database.instance]
#   frameworks:
#     cis-aws-3.0: ["2.3.3"]
#     cis-azure-3.0: ["5.1.2"]
#     cis-gcp-3.0: ["6.5"]
#     nist-800-53: ["SC-7", "AC-3"]
#   remediation:
#     aws: Set PubliclyAccessible to false (rds modify-db-instance --no-publicly-accessible).
#     azure: Delete the 0.0.0.0–255.255.255.255 firewall rule, or disable public network access.
#     gcp: Remove 0.0.0.0/0 from the authorized networks; connect through the Cloud SQL Auth Proxy or private IP.
#     default: Close the database to the internet.
package drift.rules.database.public_endpoint

import data.drift.lib.addresses
import data.drift.lib.labels
import data.drift.lib.text

rule_id := rego.metadata.chain()[1].annotations.custom.id

resource := input.resource

properties := resource.properties

internet_wide(network) if network.cidr in {"0.0.0.0/0", "::/0"}

internet_wide(network) if {
	network.startIp == "0.0.0.0"
	network.endIp == "255.255.255.255"
}

network_label(network) := text.join(["'", network.name, "'"]) if is_string(network.name)

network_label(network) := "(unnamed)" if not is_string(network.name)

# Azure's 0.0.0.0–0.0.0.0 rule lets in Azure's own services, not the address
# 0.0.0.0, so it is no piece of the internet.
# https://learn.microsoft.com/en-us/azure/azure-sql/database/firewall-configure#connections-from-inside-azure
azure_services(network) if {
	network.startIp == "0.0.0.0"
	network.endIp == "0.0.0.0"
}

# Several ranges, none the whole internet, that together cover it. Ranges
# written before the model had spans add nothing.
pieces := [network |
	some network in properties.allowedNetworks
	is_object(object.get(network, "span", null))
	not azure_services(network)
]

any_internet_wide if {
	some network in properties.allowedNetworks
	internet_wide(network)
}

causes contains text.join([labels.describe(resource), " is publicly accessible."]) if {
	resource.provider == "aws"
	properties.publicNetworkAccess == true
}

causes contains text.join([labels.describe(resource), " admits the whole internet through ", network_label(network), "."]) if {
	resource.provider != "aws"
	not properties.publicNetworkAccess == false
	some network in properties.allowedNetworks
	internet_wide(network)
}

causes contains text.join([
	labels.describe(resource), " admits the whole internet in pieces through ",
	concat(", ", sort([network_label(network) | some network in pieces])), ".",
]) if {
	resource.provider != "aws"
	not properties.publicNetworkAccess == false
	not any_internet_wide
	addresses.covers_internet([network.span | some network in pieces])
}

deny contains {"message": message, "details": {"causes": sort(causes)}} if {
	resource.kind == "database.instance"
	count(causes) > 0
	message := text.join([labels.describe(resource), " is reachable from the internet."])
}
