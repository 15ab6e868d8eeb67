# METADATA
# title: Test fixtures
# description: Normalized resources for the policy unit tests (not part of the bundle).
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

# A normalized S3 bucket as the AWS normalizer emits it.
s3_bucket(name, properties) := {
	"provider": "aws",
	"kind": "storage.bucket",
	"nativeType": "AWS::S3::Bucket",
	"id": sprintf("arn:aws:s3:::%s", [name]),
	"name": name,
	"account": "123456789012",
	"region": "us-east-1",
	"tags": {},
	"observedAt": "2026-11-01T00:00:00Z",
	"properties": object.union(
		{
			"publicAccessBlock": all_blocked,
			"accountPublicAccessBlock": null,
			"encryption": {"atRest": true, "algorithm": "AES256", "keyId": null},
		},
		properties,
	),
	"native": {},
}
