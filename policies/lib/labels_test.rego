package drift.lib.labels_test

import data.drift.lib.labels

test_describe_names_the_noun_and_quotes_the_name if {
	labels.describe({"nativeType": "AWS::S3::Bucket", "name": "logs"}) == "S3 bucket 'logs'"
}

test_describe_falls_back_to_the_native_type if {
	labels.describe({"nativeType": "AWS::SQS::Queue", "name": "q"}) == "AWS::SQS::Queue 'q'"
}

# A name that is not a string still gets a message, never an undefined one
# (which would drop the violation).
test_describe_prints_a_name_that_is_not_a_string if {
	labels.describe({"nativeType": "AWS::S3::Bucket", "name": null}) == "S3 bucket 'null'"
	is_string(labels.describe({"nativeType": 7, "name": 12}))
}
