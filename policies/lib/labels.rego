# METADATA
# title: Display names
# description: What each provider calls a kind, for messages that read naturally.
package drift.lib.labels

bucket_noun := {
	"aws": "S3 bucket",
	"azure": "Storage account",
	"gcp": "Cloud Storage bucket",
}

# The noun and quoted name of a storage bucket, e.g. "S3 bucket 'logs'".
bucket(resource) := sprintf("%s '%s'", [bucket_noun[resource.provider], resource.name])
