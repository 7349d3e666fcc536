import { Stack, Validations } from 'aws-cdk-lib';
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
    const flat = flattenReference(stack.resolve(resource));
    if (flat.includes('*')) {
      Validations.of(owner).acknowledge({ id: `AwsSolutions-IAM5[Resource::${flat}]`, reason });
    }
  }
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
