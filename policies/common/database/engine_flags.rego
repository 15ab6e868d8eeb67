# METADATA
# title: Database engine flag against the benchmark
# description: |
#   An engine flag of the database weakens it or its audit trail: a MySQL
#   instance that shows every database or loads local files, a PostgreSQL one
#   that does not log connections, statements or errors (or audits nothing
#   with pgaudit), a SQL Server one that runs external scripts, chains
#   ownership across databases, limits connections, sets user options,
#   accepts remote access, lacks trace flag 3625 or allows contained
#   databases. A flag that is not set takes the engine's default, which
#   complies for some flags and not for others. Flags are read where the
#   inventory holds them (GCP settings.databaseFlags); elsewhere unknown.
# custom:
#   id: DD-DB-005
#   severity: MEDIUM
#   kinds: [database.instance]
#   frameworks:
#     cis-gcp-3.0: [
#       "6.1.2", "6.1.3",
#       "6.2.1", "6.2.2", "6.2.3", "6.2.4", "6.2.5", "6.2.6", "6.2.7", "6.2.8",
#       "6.3.1", "6.3.2", "6.3.3", "6.3.4", "6.3.5", "6.3.6", "6.3.7",
#     ]
#     nist-800-53: ["AU-2", "AU-12", "CM-6", "CM-7"]
#   remediation:
#     gcp: >-
#       Set each flag the finding names to the value it gives
#       (gcloud sql instances patch INSTANCE --database-flags=NAME=VALUE,...;
#       the list replaces every flag set before, so repeat the ones to keep).
#     default: Set the engine flags the finding names to the values it gives.
package drift.rules.database.engine_flags

import data.drift.lib.labels
import data.drift.lib.text

rule_id := rego.metadata.chain()[1].annotations.custom.id

resource := input.resource

properties := resource.properties

# The benchmark's flags per engine: the control, the values that comply (in
# lower case), how they read in a message, and whether leaving the flag unset
# complies (the engine default). "user options" complies only when unset.
# Defaults: https://www.postgresql.org/docs/current/runtime-config-logging.html ,
# https://dev.mysql.com/doc/refman/8.0/en/server-system-variables.html ,
# https://learn.microsoft.com/sql/database-engine/configure-windows/server-configuration-options-sql-server ,
# flag names as Cloud SQL spells them: https://cloud.google.com/sql/docs/sqlserver/flags
benchmark_flags := {
	"mysql": {
		"skip_show_database": {"control": "6.1.2", "accepted": {"on"}, "wanted": "on", "unset_complies": false},
		"local_infile": {
			"control": "6.1.3",
			"accepted": {"off"},
			"wanted": "off",
			"unset_complies": local_infile_off_by_default,
		},
	},
	"postgres": {
		"log_error_verbosity": {
			"control": "6.2.1",
			"accepted": {"default", "terse"},
			"wanted": "default or terse",
			"unset_complies": true,
		},
		"log_connections": {"control": "6.2.2", "accepted": {"on"}, "wanted": "on", "unset_complies": false},
		"log_disconnections": {"control": "6.2.3", "accepted": {"on"}, "wanted": "on", "unset_complies": false},
		"log_statement": {
			"control": "6.2.4",
			"accepted": {"ddl", "mod", "all"},
			"wanted": "ddl (or mod, all)",
			"unset_complies": false,
		},
		"log_min_messages": {
			"control": "6.2.5",
			"accepted": levels_up_to("warning"),
			"wanted": "warning or a more detailed level",
			"unset_complies": true,
		},
		"log_min_error_statement": {
			"control": "6.2.6",
			"accepted": levels_up_to("error"),
			"wanted": "error or a more detailed level",
			"unset_complies": true,
		},
		"log_min_duration_statement": {
			"control": "6.2.7",
			"accepted": {"-1"},
			"wanted": "-1 (disabled)",
			"unset_complies": true,
		},
		"cloudsql.enable_pgaudit": {"control": "6.2.8", "accepted": {"on"}, "wanted": "on", "unset_complies": false},
	},
	"sqlserver": {
		"external scripts enabled": {"control": "6.3.1", "accepted": {"off"}, "wanted": "off", "unset_complies": true},
		"cross db ownership chaining": {
			"control": "6.3.2",
			"accepted": {"off"},
			"wanted": "off",
			"unset_complies": true,
		},
		"user connections": {"control": "6.3.3", "accepted": {"0"}, "wanted": "0 (no limit)", "unset_complies": true},
		"user options": {"control": "6.3.4", "accepted": set(), "wanted": "not set", "unset_complies": true},
		"remote access": {"control": "6.3.5", "accepted": {"off"}, "wanted": "off", "unset_complies": false},
		"3625": {"control": "6.3.6", "accepted": {"on"}, "wanted": "on", "unset_complies": false},
		"contained database authentication": {
			"control": "6.3.7",
			"accepted": {"off"},
			"wanted": "off",
			"unset_complies": true,
		},
	},
}

# PostgreSQL message levels from the most detailed to the least.
severity_levels := ["debug5", "debug4", "debug3", "debug2", "debug1", "info", "notice", "warning", "error", "log", "fatal", "panic"]

levels_up_to(level) := {severity_levels[i] | some i, _ in severity_levels; i <= index_of_level(level)}

index_of_level(level) := i if {
	some i, name in severity_levels
	name == level
}

# local_infile is ON by default up to MySQL 5.7 and OFF from 8.0.2 (Cloud SQL
# offers 8.0 releases later than that one).
# https://dev.mysql.com/doc/refman/8.0/en/server-system-variables.html#sysvar_local_infile
default local_infile_off_by_default := true

local_infile_off_by_default := false if startswith(properties.engineVersion, "MYSQL_5")

# The flags the benchmark names for this engine that are set to a value it
# does not accept, or unset where the default does not comply.
offending contains {"flag": name, "value": value, "control": check.control, "wanted": check.wanted} if {
	some name, check in checks
	value := flags[name]
	not lower(value) in check.accepted
}

offending contains {"flag": name, "value": null, "control": check.control, "wanted": check.wanted} if {
	some name, check in checks
	not name in set_flags
	not check.unset_complies
}

flags := properties.databaseFlags

# The names of the flags set (object.keys is not in the wasm SDK's builtins).
set_flags contains name if some name, _ in flags

checks := benchmark_flags[properties.engine]

causes contains text.join([cause.flag, " is '", cause.value, "', wanted ", cause.wanted]) if {
	some cause in offending
	cause.value != null
}

causes contains text.join([cause.flag, " is not set (the engine default does not comply), wanted ", cause.wanted]) if {
	some cause in offending
	cause.value == null
}

# The benchmark controls each offending flag breaks, for the per-control report.
controls contains cause.control if some cause in offending

deny contains {"message": message, "details": {"causes": sort(causes), "controls": {"cis-gcp-3.0": sort(controls)}}} if {
	resource.kind == "database.instance"
	is_object(flags)
	count(offending) > 0
	message := text.join([labels.describe(resource), " sets engine flags against the benchmark: ", concat("; ", sort(causes)), "."])
}
