# METADATA
# title: Display names
# description: What each provider calls a resource, for messages that read naturally.
package drift.lib.labels

import data.drift.lib.text

type_nouns := {
	"AWS::S3::Bucket": "S3 bucket",
	"AWS::EC2::SecurityGroup": "Security group",
	"AWS::IAM::Policy": "IAM policy",
	"AWS::IAM::Role": "IAM role",
	"AWS::IAM::User": "IAM user",
	"AWS::IAM::Group": "IAM group",
	"AWS::RDS::DBInstance": "RDS instance",
	"AWS::EC2::Instance": "EC2 instance",
	"AWS::KMS::Key": "KMS key",
	"AWS::CloudTrail::Trail": "CloudTrail trail",
	"AWS::Lambda::Function": "Lambda function",
	"Microsoft.Storage/storageAccounts": "Storage account",
	"Microsoft.Storage/storageAccounts/blobServices/containers": "Blob container",
	"Microsoft.Network/networkSecurityGroups": "Network security group",
	"Microsoft.Sql/servers": "SQL server",
	"Microsoft.Compute/virtualMachines": "Virtual machine",
	"Microsoft.KeyVault/vaults": "Key vault",
	"Microsoft.Authorization/roleDefinitions": "Role definition",
	"Microsoft.Web/sites": "App",
	"storage.googleapis.com/Bucket": "Cloud Storage bucket",
	"compute.googleapis.com/Firewall": "Firewall rule",
	"compute.googleapis.com/Instance": "VM instance",
	"sqladmin.googleapis.com/Instance": "Cloud SQL instance",
	"cloudkms.googleapis.com/CryptoKey": "Cloud KMS key",
	"cloudresourcemanager.googleapis.com/Project": "Project",
	"iam.googleapis.com/ServiceAccount": "Service account",
	"cloudfunctions.googleapis.com/Function": "Cloud Function",
	"cloudfunctions.googleapis.com/CloudFunction": "Cloud Function",
}

noun(resource) := type_nouns[resource.nativeType]

noun(resource) := resource.nativeType if not type_nouns[resource.nativeType]

# The noun and quoted name of a resource, e.g. "S3 bucket 'logs'". Every message
# starts with it.
describe(resource) := text.join([noun(resource), " '", resource.name, "'"])
