// What the command prints on stderr when a message quotes a name from the data or the command
// line: the terminal shows it, never obeys it (issue 17, item 14).
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cliRunner } from '../support/cli-run.ts';

const cli = cliRunner('2026-11-26T06:10:00Z');
/** What a terminal or a CI log acts on; stderr holds none but its line ends. */
const ACTIVE = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

describe('an error message naming a value from data', () => {
  it('prints the value escaped, on the message line, with no workflow command', async () => {
    const root = mkdtempSync(join(tmpdir(), 'driftwatch-terminal-'));
    const train = join(root, 'train.csv');
    writeFileSync(train, 'age,city,label\n1,a,0\n2,b,1\n');
    const label = '\u001b[2J\u001b[31mx\u202e\n::error file=a.ts::pwned\r';

    const r = await cli('baseline', train, '--label-column', label, '--out', join(root, 'out'));

    expect(r.code).toBe(2);
    expect(r.stderr).not.toMatch(ACTIVE);
    expect(r.stderr).not.toMatch(/^\s*::/m);
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain('\\x1b[2J\\x1b[31mx\\u202e\\x0a::error file=a.ts::pwned\\x0d');
  });
});

describe('a warning naming a file from the command line', () => {
  it('prints the name escaped, the line kept whole', async () => {
    const root = mkdtempSync(join(tmpdir(), 'driftwatch-terminal-'));
    const train = join(root, 'tr\u001b[2Jain\u202e.csv');
    // One ragged row: baseline warns on stderr, naming the file, and goes on.
    writeFileSync(train, 'age,city,label\n1,a,0\n2,b,1\n3,c\n4,d,0\n');

    const r = await cli('baseline', train, '--label-column', 'label', '--out', join(root, 'out'));

    expect(r.code).toBe(0);
    expect(r.stderr).toContain('tr\\x1b[2Jain\\u202e.csv');
    expect(r.stderr).not.toMatch(ACTIVE);
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
  });
});
