import { Names, Reference, Stack, Tokenization, Validations } from 'aws-cdk-lib';
import type { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { IConstruct } from 'constructs';

/**
 * Acknowledges cdk-nag's AwsSolutions-IAM5 finding for each resource of `statement` that ends in a
 * key-prefix wildcard (`arn:...:s3:::bucket/prefix/*`). Those are the narrowest resources S3 object
 * actions accept, but IAM5 flags any `*`; cdk-nag v3 wants one acknowledgement per finding, whose
 * id carries the resource flattened the way cdk-nag prints it.
 *
 * Call it on the construct that owns the policy (or an ancestor), right where the statement is granted.
 */
export function acknowledgePrefixWildcards(
  owner: IConstruct,
  statement: PolicyStatement,
  reason: string,
): void {
  const stack = Stack.of(owner);
  for (const resource of statement.resources) {
    const flat = flattenResource(stack, resource);
    if (flat.includes('*')) {
      Validations.of(owner).acknowledge({ id: `AwsSolutions-IAM5[Resource::${flat}]`, reason });
    }
  }
}

/**
 * A statement resource as cdk-nag names it in `stack`'s template. A reference to a resource of
 * the parent stack (the reports bucket, from an endpoint's nested stack) reaches the nested
 * template as a parameter CDK names `referenceto<unique id of the target><attribute>`, and that
 * is what cdk-nag sees there.
 */
function flattenResource(stack: Stack, resource: string): string {
  const flattened = Tokenization.reverseString(resource).mapTokens({
    mapToken: (token) =>
      Reference.isReference(token) && Stack.of(token.target) !== stack
        ? `<${nestedParameterId(stack, token)}>`
        : flattenReference(stack.resolve(token)),
  });
  return String(flattened.join({ join: (left, right) => `${left ?? ''}${right ?? ''}` }));
}

/** The nested stack parameter CDK makes for a reference to another stack's resource (core/lib/private/refs). */
function nestedParameterId(stack: Stack, reference: Reference): string {
  const id = stack.resolve(
    `reference-to-${Names.nodeUniqueId(reference.target.node)}${reference.displayName}`,
  );
  return String(id).replace(/[^A-Za-z0-9]/g, '');
}

/**
 * A resolved CloudFormation value as cdk-nag names it in finding ids: `Fn::Join` concatenated,
 * `Ref` as `<Name>`, `Fn::GetAtt` as `<Resource.Attribute>`.
 */
export function flattenReference(value: unknown): string {
  if (typeof value === 'string') return value.replace(/\$\{/g, '<').replace(/}/g, '>');
  if (typeof value === 'object' && value !== null) {
    const node = value as Record<string, unknown>;
    const join = node['Fn::Join'];
    if (Array.isArray(join)) {
      const [delimiter, parts] = join as [string, unknown[]];
      return parts.map(flattenReference).join(delimiter);
    }
    const getAtt = node['Fn::GetAtt'];
    if (Array.isArray(getAtt)) return `<${flattenReference(getAtt[0])}.${flattenReference(getAtt[1])}>`;
    if (node.Ref !== undefined) return `<${flattenReference(node.Ref)}>`;
  }
  return JSON.stringify(value);
}
