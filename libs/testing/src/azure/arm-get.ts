// ARM GET of any resource the stand-in holds, `GET {id}?api-version=…`, and of a
// child collection, `GET {parentId}/{collection}?api-version=…` → `{value: […]}`
// (https://learn.microsoft.com/rest/api/resources/resources/get-by-id; list
// shape: https://github.com/Azure/azure-resource-manager-rpc/blob/master/v1.0/resource-api-reference.md).
// The specs folder has no contract for these types (storage, SQL, network,
// authorization), so their answers are checked against ARM's common Resource
// shape (common-types v5 `Resource`: id, name, type) only.
import { armError, json, type Answer } from './answers.js';
import { resourceGroupOf, typeFromId } from './arm-ids.js';
import { armBody, type Inventory } from './inventory.js';

/** Segments after the last `/providers/`: odd for a resource, even for a collection of one. */
function providerSegments(path: string): number {
  const segments = path.split('/').filter((s) => s !== '');
  const at = segments.map((s) => s.toLowerCase()).lastIndexOf('providers');
  return at < 0 ? 0 : segments.length - at - 1;
}

export type ArmGetKind = 'resource' | 'collection';

export function armGetKind(path: string): ArmGetKind {
  const count = providerSegments(path);
  return count >= 2 && count % 2 === 0 ? 'collection' : 'resource';
}

export function answerArmGet(path: string, inventory: Inventory): Answer {
  const held = inventory.get(path);
  if (held !== undefined) return json(200, armBody(held));
  if (armGetKind(path) === 'collection') {
    const children = inventory.children(path);
    // ARM lists an empty collection of a resource that exists (an account without containers).
    if (children.length > 0 || inventory.ancestorOf(path) !== undefined) {
      return json(200, { value: children.map(armBody) });
    }
  }
  return notFound(path);
}

/** ARM's 404 wording: "The Resource '<type>/<name>' under resource group '<rg>' was not found." */
function notFound(path: string): Answer {
  const type = typeFromId(path);
  const name =
    path
      .split('/')
      .filter((s) => s !== '')
      .at(-1) ?? '';
  const group = resourceGroupOf(path);
  const what = type === undefined ? path : `${type}/${name}`;
  const where = group === undefined ? '' : ` under resource group '${group}'`;
  return armError(
    404,
    'ResourceNotFound',
    `The Resource '${what}'${where} was not found. For more details please go to https://aka.ms/ARMResourceNotFoundFix`,
  );
}
