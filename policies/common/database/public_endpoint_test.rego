package drift.rules.database.public_endpoint_test

import data.drift.rules.database.public_endpoint as rule
import data.drift.test.fixtures

test_aws_publicly_accessible_rds_is_flagged if {
	some violation in rule.deny with input.resource as fixtures.database("aws", "orders", {"publicNetworkAccess": true})
	violation.message == "RDS instance 'orders' is reachable from the internet."
}

test_aws_private_or_unknown_rds_is_compliant if {
	count(rule.deny) == 0 with input.resource as fixtures.database("aws", "orders", {"publicNetworkAccess": false})
	count(rule.deny) == 0 with input.resource as fixtures.database("aws", "orders", {})
}

test_azure_firewall_rule_spanning_every_address_is_flagged if {
	networks := [fixtures.network_range("AllowAll", "0.0.0.0", "255.255.255.255")]
	server := fixtures.database("azure", "sql1", {"publicNetworkAccess": true, "allowedNetworks": networks})
	some violation in rule.deny with input.resource as server
	violation.details.causes == ["SQL server 'sql1' admits the whole internet through 'AllowAll'."]
}

# 0.0.0.0-0.0.0.0 is AllowAllWindowsAzureIps: Azure services, not the internet.
test_azure_allow_azure_services_rule_is_not_the_internet if {
	networks := [fixtures.network_range("AllowAllWindowsAzureIps", "0.0.0.0", "0.0.0.0")]
	count(rule.deny) == 0 with input.resource as fixtures.database("azure", "sql1", {"allowedNetworks": networks})
}

test_azure_disabled_public_network_access_closes_the_rule if {
	networks := [fixtures.network_range("AllowAll", "0.0.0.0", "255.255.255.255")]
	server := fixtures.database("azure", "sql1", {"publicNetworkAccess": false, "allowedNetworks": networks})
	count(rule.deny) == 0 with input.resource as server
}

test_gcp_authorized_network_0_0_0_0_0_is_flagged if {
	instance := fixtures.database("gcp", "pg", {"publicNetworkAccess": true, "allowedNetworks": [fixtures.network_cidr("anyone", "0.0.0.0/0")]})
	count(rule.deny) == 1 with input.resource as instance
}

test_gcp_narrow_network_or_private_instance_is_compliant if {
	narrow := fixtures.database("gcp", "pg", {"publicNetworkAccess": true, "allowedNetworks": [fixtures.network_cidr(null, "203.0.113.0/24")]})
	count(rule.deny) == 0 with input.resource as narrow
	private := fixtures.database("gcp", "pg", {"publicNetworkAccess": false, "allowedNetworks": [fixtures.network_cidr(null, "0.0.0.0/0")]})
	count(rule.deny) == 0 with input.resource as private
}

test_azure_two_firewall_rules_that_cover_every_address_are_flagged if {
	networks := [
		fixtures.network_range("low", "0.0.0.0", "127.255.255.255"),
		fixtures.network_range("high", "128.0.0.0", "255.255.255.255"),
	]
	server := fixtures.database("azure", "sql1", {"publicNetworkAccess": true, "allowedNetworks": networks})
	some violation in rule.deny with input.resource as server
	violation.details.causes == ["SQL server 'sql1' admits the whole internet in pieces through 'high', 'low'."]
}

# 0.0.0.0-0.0.0.0 means Azure services, not the address 0.0.0.0: the rest leaves it out.
test_azure_services_rule_does_not_complete_the_internet if {
	networks := [
		fixtures.network_range("AllowAllWindowsAzureIps", "0.0.0.0", "0.0.0.0"),
		fixtures.network_range("rest", "0.0.0.1", "255.255.255.255"),
	]
	count(rule.deny) == 0 with input.resource as fixtures.database("azure", "sql1", {"allowedNetworks": networks})
}

test_gcp_authorized_networks_in_halves_are_flagged_unless_public_ip_is_off if {
	networks := [fixtures.network_cidr("a", "0.0.0.0/1"), fixtures.network_cidr("b", "128.0.0.0/1")]
	open := fixtures.database("gcp", "pg", {"publicNetworkAccess": true, "allowedNetworks": networks})
	some violation in rule.deny with input.resource as open
	violation.details.causes == ["Cloud SQL instance 'pg' admits the whole internet in pieces through 'a', 'b'."]
	closed := fixtures.database("gcp", "pg", {"publicNetworkAccess": false, "allowedNetworks": networks})
	count(rule.deny) == 0 with input.resource as closed
	gap := fixtures.database("gcp", "pg", {"publicNetworkAccess": true, "allowedNetworks": [networks[0]]})
	count(rule.deny) == 0 with input.resource as gap
}
