/**
 * The S3 URIs the runtime configs and the command line carry (`s3://bucket/prefix`): one
 * grammar for the config parsers, the stores and the CLI.
 */

/** A location is an S3 URI when it starts with `s3://`. */
export function isS3Uri(location: string): boolean {
  return location.startsWith('s3://');
}

/** The bucket and key prefix of `uri`; the prefix is empty or ends in `/`. */
export function parseS3Uri(uri: string): { bucket: string; prefix: string } {
  const m = /^s3:\/\/([^/]+)\/?(.*)$/.exec(uri);
  if (!m) throw new Error(`${uri}: not an S3 URI; use s3://bucket/prefix`);
  const prefix = m[2]!;
  return { bucket: m[1]!, prefix: prefix === '' || prefix.endsWith('/') ? prefix : `${prefix}/` };
}

/**
 * The bucket and key of an S3 object URI (`s3://bucket/path/file.json`); `null` when `uri` has no
 * key or names a folder (ends in `/`).
 */
export function parseS3ObjectUri(uri: string): { bucket: string; key: string } | null {
  const m = /^s3:\/\/([^/]+)\/(.+)$/.exec(uri);
  if (!m || m[2]!.endsWith('/')) return null;
  return { bucket: m[1]!, key: m[2]! };
}
