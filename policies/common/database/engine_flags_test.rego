package drift.rules.database.engine_flags_test

import data.drift.rules.database.engine_flags as rule
import data.drift.test.fixtures

postgres(flags) := fixtures.database("gcp", "orders", {"engine": "postgres", "engineVersion": "POSTGRES_15", "databaseFlags": flags})

mysql(version, flags) := fixtures.database("gcp", "shop", {"engine": "mysql", "engineVersion": version, "databaseFlags": flags})

sqlserver(flags) := fixtures.database("gcp", "ledger", {"engine": "sqlserver", "engineVersion": "SQLSERVER_2019_STANDARD", "databaseFlags": flags})

# The flags each engine's compliant instance sets; the rest keep their defaults.
postgres_ok := {"log_connections": "on", "log_disconnections": "on", "log_statement": "ddl", "cloudsql.enable_pgaudit": "on"}

mysql_ok := {"skip_show_database": "on", "local_infile": "off"}

sqlserver_ok := {"remote access": "off", "3625": "on"}

controls_of(violations) := {control | some v in violations; some control in v.details.controls["cis-gcp-3.0"]}

test_compliant_flags_of_each_engine_raise_nothing if {
	count(rule.deny) == 0 with input.resource as postgres(postgres_ok)
	count(rule.deny) == 0 with input.resource as mysql("MYSQL_8_0", mysql_ok)
	count(rule.deny) == 0 with input.resource as sqlserver(sqlserver_ok)
}

test_unknown_flags_or_engine_raise_nothing if {
	count(rule.deny) == 0 with input.resource as fixtures.database("gcp", "orders", {"engine": "postgres"})
	count(rule.deny) == 0 with input.resource as fixtures.database("gcp", "orders", {"engine": "oracle", "databaseFlags": {}})
	count(rule.deny) == 0 with input.resource as fixtures.database("aws", "orders", {"engine": "postgres", "databaseFlags": null})
}

test_no_flags_set_breaks_the_controls_whose_default_does_not_comply if {
	controls_of(rule.deny) == {"6.2.2", "6.2.3", "6.2.4", "6.2.8"} with input.resource as postgres({})
	controls_of(rule.deny) == {"6.1.2", "6.1.3"} with input.resource as mysql("MYSQL_5_7", {})
	controls_of(rule.deny) == {"6.1.2"} with input.resource as mysql("MYSQL_8_0_31", {})
	controls_of(rule.deny) == {"6.3.5", "6.3.6"} with input.resource as sqlserver({})
}

test_the_message_names_each_flag_and_what_it_should_be if {
	resource := postgres(object.union(postgres_ok, {"log_connections": "off"}))
	some v in rule.deny with input.resource as resource
	v.message == "Cloud SQL instance 'orders' sets engine flags against the benchmark: log_connections is 'off', wanted on."
}

test_unset_flag_is_named_as_unset if {
	some v in rule.deny with input.resource as sqlserver({"3625": "on"})
	v.message == concat("", [
		"Cloud SQL instance 'ledger' sets engine flags against the benchmark: ",
		"remote access is not set (the engine default does not comply), wanted off.",
	])
}

test_values_compare_without_case if {
	count(rule.deny) == 0 with input.resource as postgres(object.union(postgres_ok, {"log_connections": "ON", "log_statement": "DDL"}))
}

# One case per control, set to a value the benchmark refuses.
refused := [
	["6.1.2", mysql("MYSQL_8_0", object.union(mysql_ok, {"skip_show_database": "off"}))],
	["6.1.3", mysql("MYSQL_8_0", object.union(mysql_ok, {"local_infile": "on"}))],
	["6.2.1", postgres(object.union(postgres_ok, {"log_error_verbosity": "verbose"}))],
	["6.2.2", postgres(object.union(postgres_ok, {"log_connections": "off"}))],
	["6.2.3", postgres(object.union(postgres_ok, {"log_disconnections": "off"}))],
	["6.2.4", postgres(object.union(postgres_ok, {"log_statement": "none"}))],
	["6.2.5", postgres(object.union(postgres_ok, {"log_min_messages": "error"}))],
	["6.2.6", postgres(object.union(postgres_ok, {"log_min_error_statement": "fatal"}))],
	["6.2.7", postgres(object.union(postgres_ok, {"log_min_duration_statement": "250"}))],
	["6.2.8", postgres(object.union(postgres_ok, {"cloudsql.enable_pgaudit": "off"}))],
	["6.3.1", sqlserver(object.union(sqlserver_ok, {"external scripts enabled": "on"}))],
	["6.3.2", sqlserver(object.union(sqlserver_ok, {"cross db ownership chaining": "on"}))],
	["6.3.3", sqlserver(object.union(sqlserver_ok, {"user connections": "50"}))],
	["6.3.4", sqlserver(object.union(sqlserver_ok, {"user options": "16"}))],
	["6.3.5", sqlserver(object.union(sqlserver_ok, {"remote access": "on"}))],
	["6.3.6", sqlserver(object.union(sqlserver_ok, {"3625": "off"}))],
	["6.3.7", sqlserver(object.union(sqlserver_ok, {"contained database authentication": "on"}))],
]

test_each_control_fires_alone_on_a_refused_value if {
	every case in refused {
		controls_of(rule.deny) == {case[0]} with input.resource as case[1]
	}
}

# One case per control whose flag is set to a value the benchmark accepts
# (other than the compliant instances above).
accepted := [
	postgres(object.union(postgres_ok, {"log_error_verbosity": "terse"})),
	postgres(object.union(postgres_ok, {"log_statement": "all"})),
	postgres(object.union(postgres_ok, {"log_min_messages": "debug1"})),
	postgres(object.union(postgres_ok, {"log_min_error_statement": "error"})),
	postgres(object.union(postgres_ok, {"log_min_duration_statement": "-1"})),
	sqlserver(object.union(sqlserver_ok, {"external scripts enabled": "off", "cross db ownership chaining": "off"})),
	sqlserver(object.union(sqlserver_ok, {"user connections": "0", "contained database authentication": "off"})),
]

test_each_accepted_value_complies if {
	every resource in accepted {
		count(rule.deny) == 0 with input.resource as resource
	}
}
