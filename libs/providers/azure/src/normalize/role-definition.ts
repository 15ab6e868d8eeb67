import {
  NormalizeError,
  type InventoryContext,
  type PolicyStatement,
  type ResourceOf,
} from '@drift-detective/resource-model';
import { armResource, type ArmRecord } from '../decode/arm-record.js';
import { asStringList, asText, isObject, sortedUnique } from '../decode/json.js';
import { T } from '../types.js';

// Role definition properties:
// https://learn.microsoft.com/en-us/rest/api/authorization/role-definitions/get#roledefinition

const ROLE_TYPES = new Map(['BuiltInRole', 'CustomRole'].map((t) => [t.toLowerCase(), t]));

function statement(
  sid: string,
  actions: string[] | null,
  notActions: string[] | null,
  resources: string[] | null,
): PolicyStatement {
  return {
    source: 'roleDefinition',
    sid,
    effect: 'Allow',
    actions,
    notActions,
    resources,
    notResources: null,
    principals: null,
    notPrincipals: null,
    conditions: null,
  };
}

/**
 * One Allow statement per permission block for control-plane actions
 * (actions / notActions), and one more for data-plane actions (dataActions /
 * notDataActions) when the block has any. A role only grants; notActions subtract
 * from actions and are no deny. An unreadable block stays a statement whose
 * actions are unknown (null), never an empty grant.
 * https://learn.microsoft.com/en-us/azure/role-based-access-control/role-definitions#control-and-data-actions
 */
/**
 * An action list, or null (unknown) when it is not a list of operation strings:
 * a blank entry is no operation Azure accepts, and reading it as "nothing"
 * could turn a "*" grant into an empty one.
 * https://learn.microsoft.com/en-us/azure/role-based-access-control/role-definitions#actions-format
 */
function actionList(value: unknown): string[] | null {
  const list = asStringList(value);
  return list && list.every((action) => action.trim() !== '') ? list : null;
}

function statementsOf(permissions: unknown[], scopes: string[] | null): PolicyStatement[] {
  return permissions.flatMap((permission, index) => {
    const sid = `permissions[${index}]`;
    if (!isObject(permission)) return [statement(sid, null, null, scopes)];
    const result = [
      statement(
        sid,
        actionList(permission['actions']),
        actionList(permission['notActions']),
        scopes,
      ),
    ];
    const dataActions = permission['dataActions'];
    const notDataActions = permission['notDataActions'];
    const hasData =
      (Array.isArray(dataActions) && dataActions.length > 0) ||
      (Array.isArray(notDataActions) && notDataActions.length > 0) ||
      (dataActions !== undefined && dataActions !== null && !Array.isArray(dataActions));
    if (hasData) {
      result.push(
        statement(
          `${sid}.dataActions`,
          actionList(dataActions),
          actionList(notDataActions),
          scopes,
        ),
      );
    }
    return result;
  });
}

/**
 * A role definition. properties.type says who manages it: "BuiltInRole" (Microsoft)
 * or "CustomRole". Built-in roles are tenant-level ("/providers/Microsoft.Authorization/…"),
 * so their account is "" when the row names no subscription.
 * https://learn.microsoft.com/en-us/azure/role-based-access-control/custom-roles#custom-role-properties
 */
export function normalizeRoleDefinition(
  arm: ArmRecord,
  context: InventoryContext,
): ResourceOf<'iam.policy'> {
  const p = arm.properties;
  const permissions = p['permissions'];
  // Without its permissions a role's grant is unknown; an empty statement list would read as "grants nothing".
  if (!Array.isArray(permissions)) {
    throw new NormalizeError(arm.source, `${arm.id}: properties.permissions is not a list`);
  }
  const scopeList = asStringList(p['assignableScopes']);
  const scopes = scopeList === null ? null : sortedUnique(scopeList);
  const roleType = asText(p['type']);
  const roleName = asText(p['roleName']);
  return armResource(
    arm,
    context,
    'iam.policy',
    T.roleDefinition,
    {
      principalType: 'roleDefinition',
      managedBy: roleType === null ? null : (ROLE_TYPES.get(roleType.toLowerCase()) ?? roleType),
      statements: statementsOf(permissions, scopes),
      attachedPolicies: null,
      trustPolicy: null,
      assignableScopes: scopes,
    },
    // The resource name is a GUID; roleName is what people know the role by.
    roleName === null ? {} : { name: roleName },
  );
}
