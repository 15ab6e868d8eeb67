// deploy/aws/template.yaml as CloudFormation reads it: the short-form intrinsics
// (!Ref, !Sub, !GetAtt, …) become their long form ({"Ref": …}, {"Fn::Sub": …}), the
// way `aws cloudformation package` and CloudFormation itself read them
// (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/intrinsic-function-reference.html).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseDocument, type Tags, type YAMLMap, type YAMLSeq } from 'yaml';

export const workspaceRoot = path.resolve(import.meta.dirname, '..', '..', '..');
export const templatePath = path.join(workspaceRoot, 'deploy', 'aws', 'template.yaml');

/** The short forms CloudFormation accepts, by the name of the long form. */
const INTRINSICS: Record<string, string> = {
  Ref: 'Ref',
  Condition: 'Condition',
  And: 'Fn::And',
  Base64: 'Fn::Base64',
  Cidr: 'Fn::Cidr',
  Equals: 'Fn::Equals',
  FindInMap: 'Fn::FindInMap',
  GetAtt: 'Fn::GetAtt',
  GetAZs: 'Fn::GetAZs',
  If: 'Fn::If',
  ImportValue: 'Fn::ImportValue',
  Join: 'Fn::Join',
  Not: 'Fn::Not',
  Or: 'Fn::Or',
  Select: 'Fn::Select',
  Split: 'Fn::Split',
  Sub: 'Fn::Sub',
};

/** Each short form as a scalar (`!Ref X`), a sequence (`!If [c, a, b]`) and a mapping. */
const intrinsicTags: Tags = Object.entries(INTRINSICS).flatMap(([short, long]) => [
  {
    tag: `!${short}`,
    // !GetAtt Resource.Attribute is the scalar form of ["Resource", "Attribute"].
    resolve: (value: string, onError: (message: string) => void) => {
      if (short !== 'GetAtt') return { [long]: value };
      const dot = value.indexOf('.');
      if (dot < 1) onError(`!GetAtt ${value}: not Resource.Attribute`);
      return { [long]: [value.slice(0, dot), value.slice(dot + 1)] };
    },
  },
  {
    tag: `!${short}`,
    collection: 'seq' as const,
    resolve: (value: YAMLSeq.Parsed | YAMLMap.Parsed) => ({ [long]: value.toJSON() as unknown }),
  },
  {
    tag: `!${short}`,
    collection: 'map' as const,
    resolve: (value: YAMLSeq.Parsed | YAMLMap.Parsed) => ({ [long]: value.toJSON() as unknown }),
  },
]);

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

export interface Template {
  readonly Parameters: Record<
    string,
    { Type: string; Default?: string | number; AllowedPattern?: string }
  >;
  readonly Resources: Record<string, { Type: string; Properties: Record<string, Json> }>;
  readonly Outputs: Record<string, { Value: Json }>;
  readonly [section: string]: unknown;
}

/** Parses a template's text; any YAML error or warning (an unknown tag) throws. */
export function parseTemplate(text: string): Template {
  const document = parseDocument(text, { customTags: intrinsicTags });
  const problems = [...document.errors, ...document.warnings];
  if (problems.length > 0) {
    throw new Error(`template: ${problems.map((p) => p.message).join('\n')}`);
  }
  return document.toJS() as Template;
}

export function loadTemplate(file = templatePath): Template {
  return parseTemplate(readFileSync(file, 'utf8'));
}

/** A template resource of the given logical id and type. */
export function resourceOf(template: Template, logicalId: string, type: string) {
  const resource = template.Resources[logicalId];
  if (resource?.Type !== type) throw new Error(`template has no ${type} ${logicalId}`);
  return resource;
}
