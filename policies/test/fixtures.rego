# METADATA
# title: Test fixtures
# description: |
#   Normalized resources for the policy unit tests (not part of the bundle):
#   every property unknown (null) unless a test sets it, as the normalizers
#   emit them.
package drift.test.fixtures

all_blocked := {
	"blockPublicAcls": true,
	"ignorePublicAcls": true,
	"blockPublicPolicy": true,
	"restrictPublicBuckets": true,
}

none_blocked := {
	"blockPublicAcls": false,
	"ignorePublicAcls": false,
	"blockPublicPolicy": false,
	"restrictPublicBuckets": false,
}

accounts := {"aws": "123456789012", "azure": "00000000-0000-0000-0000-000000000001", "gcp": "my-project"}

# Any normalized resource.
resource(provider, kind, native_type, name, properties) := {
	"provider": provider,
	"kind": kind,
	"nativeType": native_type,
	"id": sprintf("%s:%s", [native_type, name]),
	"name": name,
	"account": accounts[provider],
	"region": null,
	"tags": {},
	"observedAt": "2026-11-01T00:00:00Z",
	"properties": properties,
	"native": {},
}

unknown_bucket := {
	"publicAccessBlock": null,
	"accountPublicAccessBlock": null,
	"allowBlobPublicAccess": null,
	"containerPublicAccess": null,
	"publicAccessPrevention": null,
	"publicAccessPreventionPolicy": null,
	"aclGrants": null,
	"policy": null,
	"policyAbsent": null,
	"iamBindings": null,
	"encryption": {"atRest": null, "algorithm": null, "keyId": null},
	"transport": {"httpsOnly": null, "minimumTlsVersion": null},
	"versioning": {"enabled": null},
	"crossTenantReplication": null,
	"infrastructureEncryption": null,
	"uniformAccess": null,
	"publicNetworkAccess": null,
	"trustedServicesBypass": null,
	"privateEndpoint": null,
}

bucket_types := {
	"aws": "AWS::S3::Bucket",
	"azure": "Microsoft.Storage/storageAccounts",
	"gcp": "storage.googleapis.com/Bucket",
}

bucket(provider, name, properties) := resource(
	provider, "storage.bucket", bucket_types[provider], name,
	object.union(unknown_bucket, properties),
)

# A normalized S3 bucket as the AWS normalizer emits it: blocked and SSE-S3 encrypted.
s3_bucket(name, properties) := bucket("aws", name, object.union(
	{
		"publicAccessBlock": all_blocked,
		"encryption": {"atRest": true, "algorithm": "AES256", "keyId": null},
	},
	properties,
))

azure_container(name, level, account_allows) := resource(
	"azure", "storage.bucket", "Microsoft.Storage/storageAccounts/blobServices/containers", name,
	object.union(unknown_bucket, {"containerPublicAccess": level, "allowBlobPublicAccess": account_allows}),
)

firewall_types := {
	"aws": "AWS::EC2::SecurityGroup",
	"azure": "Microsoft.Network/networkSecurityGroups",
	"gcp": "compute.googleapis.com/Firewall",
}

firewall(provider, name, rules) := resource(
	provider, "network.firewall", firewall_types[provider], name,
	{"rules": rules, "network": null},
)

v6_zero := "000000000000000000000000000000000"

v6_half := "080000000000000000000000000000000"

v6_top := "100000000000000000000000000000000"

# AddressSpans of the addresses the tests use, as the model writes them
# (addressSpan in libs/resource-model: fixed-width hex, end exclusive).
spans := {
	"0.0.0.0/0": {"family": "ipv4", "start": "000000000", "end": "100000000"},
	"0.0.0.0/1": {"family": "ipv4", "start": "000000000", "end": "080000000"},
	"128.0.0.0/1": {"family": "ipv4", "start": "080000000", "end": "100000000"},
	"128.0.0.0/2": {"family": "ipv4", "start": "080000000", "end": "0c0000000"},
	"192.0.0.0/2": {"family": "ipv4", "start": "0c0000000", "end": "100000000"},
	"10.0.0.0/8": {"family": "ipv4", "start": "00a000000", "end": "00b000000"},
	"::/0": {"family": "ipv6", "start": v6_zero, "end": v6_top},
	"::/1": {"family": "ipv6", "start": v6_zero, "end": v6_half},
	"8000::/1": {"family": "ipv6", "start": v6_half, "end": v6_top},
	"0.0.0.0-255.255.255.255": {"family": "ipv4", "start": "000000000", "end": "100000000"},
	"0.0.0.0-127.255.255.255": {"family": "ipv4", "start": "000000000", "end": "080000000"},
	"128.0.0.0-255.255.255.255": {"family": "ipv4", "start": "080000000", "end": "100000000"},
	"0.0.0.0-0.0.0.0": {"family": "ipv4", "start": "000000000", "end": "000000001"},
	"0.0.0.1-255.255.255.255": {"family": "ipv4", "start": "000000001", "end": "100000000"},
}

spans_of(peers) := [spans[peer] | some peer in peers; spans[peer]]

span_or_null(key) := object.get(spans, key, null)

rule_defaults := {
	"name": "r",
	"direction": "ingress",
	"action": "allow",
	"priority": null,
	"protocol": "tcp",
	"ports": [{"from": 22, "to": 22}],
	"peers": ["0.0.0.0/0"],
	"enabled": true,
	"isDefault": false,
}

# One firewall rule; `overrides` changes any field. peerSpans follow the peers
# unless given.
rule(overrides) := object.union(
	{"peerSpans": spans_of(object.get(overrides, "peers", rule_defaults.peers))},
	object.union(rule_defaults, overrides),
)

statement(overrides) := object.union(
	{
		"source": "inline:test",
		"sid": null,
		"effect": "Allow",
		"actions": ["s3:GetObject"],
		"notActions": null,
		"resources": ["*"],
		"notResources": null,
		"principals": null,
		"notPrincipals": null,
		"conditions": null,
	},
	overrides,
)

iam_policy(provider, native_type, name, properties) := resource(
	provider, "iam.policy", native_type, name,
	object.union(
		{
			"principalType": "policy",
			"managedBy": null,
			"statements": [],
			"attachedPolicies": null,
			"trustPolicy": null,
			"assignableScopes": null,
		},
		properties,
	),
)

iam_binding(name, bindings) := resource(
	"gcp", "iam.binding", "cloudresourcemanager.googleapis.com/Project", name,
	{"bindings": bindings, "disabled": null, "email": null},
)

database_types := {
	"aws": "AWS::RDS::DBInstance",
	"azure": "Microsoft.Sql/servers",
	"gcp": "sqladmin.googleapis.com/Instance",
}

database(provider, name, properties) := resource(
	provider, "database.instance", database_types[provider], name,
	object.union(
		{
			"engine": null,
			"engineVersion": null,
			"publicNetworkAccess": null,
			"allowedNetworks": null,
			"storageEncrypted": null,
			"kmsKeyId": null,
			"automatedBackups": null,
			"tlsRequired": null,
			"autoMinorVersionUpgrade": null,
			"databaseFlags": null,
		},
		properties,
	),
)

network_range(name, start_ip, end_ip) := {
	"name": name, "cidr": null, "startIp": start_ip, "endIp": end_ip,
	"span": span_or_null(concat("-", [start_ip, end_ip])),
}

network_cidr(name, cidr) := {"name": name, "cidr": cidr, "startIp": null, "endIp": null, "span": span_or_null(cidr)}

key_types := {
	"aws": "AWS::KMS::Key",
	"azure": "Microsoft.KeyVault/vaults",
	"gcp": "cloudkms.googleapis.com/CryptoKey",
}

kms_key(provider, name, properties) := resource(
	provider, "kms.key", key_types[provider], name,
	object.union(
		{
			"rotationEnabled": null,
			"rotationPeriodDays": null,
			"keyManager": null,
			"keyState": null,
			"policy": null,
			"iamBindings": null,
			"publicNetworkAccess": null,
			"purgeProtected": null,
			"rbacAuthorization": null,
			"privateEndpoint": null,
		},
		properties,
	),
)

function_types := {
	"aws": "AWS::Lambda::Function",
	"azure": "Microsoft.Web/sites",
	"gcp": "cloudfunctions.googleapis.com/Function",
}

function(provider, name, properties) := resource(
	provider, "serverless.function", function_types[provider], name,
	object.union(
		{
			"runtime": null,
			"identity": null,
			"policy": null,
			"iamBindings": null,
			"httpsOnly": null,
			"minimumTlsVersion": null,
		},
		properties,
	),
)

trail(name, properties) := resource(
	"aws", "audit.trail", "AWS::CloudTrail::Trail", name,
	object.union({"logging": null, "multiRegion": null, "logFileValidation": null, "kmsKeyId": null, "kmsEncrypted": null}, properties),
)

instance(name, properties) := resource(
	"aws", "compute.instance", "AWS::EC2::Instance", name,
	object.union(
		{
			"state": "running",
			"metadataTokensRequired": null,
			"metadataEndpointEnabled": null,
			"publicIps": null,
			"identities": null,
			"ipForwarding": null,
			"serialPortEnabled": null,
			"projectSshKeysBlocked": null,
			"osLoginEnabled": null,
			"shieldedVm": null,
			"managedDisks": null,
		},
		properties,
	),
)

# A GCE instance: `instance`'s defaults, on GCP.
gcp_instance(name, properties) := object.union(instance(name, properties), {
	"provider": "gcp",
	"nativeType": "compute.googleapis.com/Instance",
})

# A GCP firewall rule and the deny rules the other rules of its network hold.
gcp_firewall_in_network(name, rules, network_denies) := resource(
	"gcp", "network.firewall", firewall_types.gcp, name,
	{"rules": rules, "network": "default", "networkDenyRules": network_denies},
)

# A GCP firewall rule under hierarchical firewall policies (levels, organization first).
gcp_firewall_under_policies(name, rules, levels) := resource(
	"gcp", "network.firewall", firewall_types.gcp, name,
	{"rules": rules, "network": "default", "networkDenyRules": [], "policyLevels": levels},
)

policy_level(node, rules) := {"node": node, "policy": concat("/", ["locations/global/firewallPolicies", node]), "rules": rules}
