# METADATA
# title: Storage accepts unencrypted transport
# description: |
#   Clients can reach the storage over plain HTTP or an outdated TLS version.
#   AWS: no bucket policy statement denies requests with aws:SecureTransport
#   false. Azure: supportsHttpsTrafficOnly is false, or minimumTlsVersion is
#   below TLS 1.2. Cloud Storage only serves HTTPS, so GCP never violates it.
# custom:
#   id: DD-STORAGE-004
#   severity: MEDIUM
#   kinds: [storage.bucket]
#   frameworks:
#     cis-aws-3.0: ["2.1.1"]
#     cis-azure-3.0: ["4.1", "4.15"]
#     nist-800-53: ["SC-8", "SC-13"]
#   remediation:
#     aws: Add a bucket policy statement that denies s3:* when aws:SecureTransport is false.
#     azure: Require secure transfer (HTTPS only) and set the minimum TLS version to TLS1_2.
#     default: Require HTTPS with TLS 1.2 or newer.
package drift.rules.storage.secure_transport

import data.drift.lib.labels
import data.drift.lib.text

rule_id := rego.metadata.chain()[1].annotations.custom.id

resource := input.resource

transport := resource.properties.transport

outdated_tls := {"TLS1_0", "TLS1_1"}

http_reason := {
	"aws": "no bucket policy statement denies aws:SecureTransport false.",
	"azure": "supportsHttpsTrafficOnly must be true.",
	"gcp": "HTTPS must be required.",
}

causes contains text.join([labels.describe(resource), " accepts plain HTTP: ", http_reason[resource.provider]]) if {
	transport.httpsOnly == false
}

causes contains text.join([labels.describe(resource), " accepts ", transport.minimumTlsVersion, ". The minimum TLS version must be TLS1_2."]) if {
	transport.minimumTlsVersion in outdated_tls
}

deny contains {"message": message, "details": {"causes": sort(causes), "transport": transport}} if {
	resource.kind == "storage.bucket"
	count(causes) > 0
	message := text.join([labels.describe(resource), " allows unencrypted or weakly encrypted transport."])
}
