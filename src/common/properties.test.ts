import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseProperties } from './properties.js';

function parse(text: string): Record<string, string> {
  const parsed = parseProperties(text);
  assert.deepEqual(parsed.problems, []);
  return Object.fromEntries(parsed.values);
}

test('separators: =, :, whitespace, and a separator surrounded by whitespace', () => {
  assert.deepEqual(parse('a=1\nb:2\nc 3\nd = 4\ne\t:\t5\nf  =  =6'), {
    a: '1', b: '2', c: '3', d: '4', e: '5', f: '=6',
  });
});

test('comments with # and ! (after leading whitespace), blank lines, and keys without values', () => {
  assert.deepEqual(parse('# comment\n  ! also comment\n\n   \nkey\nother=\nx=#not a comment'), {
    key: '', other: '', x: '#not a comment',
  });
});

test('trailing whitespace of a value is kept, leading whitespace is not', () => {
  assert.deepEqual(parse('k =   v  '), { k: 'v  ' });
});

test('line continuation joins lines and drops the next line\'s leading whitespace', () => {
  assert.deepEqual(parse('listeners=PLAINTEXT://:9092,\\\n    CONTROLLER://:9093\nnext=1'), {
    listeners: 'PLAINTEXT://:9092,CONTROLLER://:9093', next: '1',
  });
});

test('an even number of trailing backslashes does not continue the line', () => {
  assert.deepEqual(parse('a=x\\\\\nb=y'), { a: 'x\\', b: 'y' });
});

test('a continuation at end of input is dropped; a comment line never continues', () => {
  assert.deepEqual(parse('a=1\\'), { a: '1' });
  assert.deepEqual(parse('# comment \\\nb=2'), { b: '2' });
});

test('a continued line may look like a comment without being one', () => {
  assert.deepEqual(parse('a=1\\\n#2'), { a: '1#2' });
});

test('escapes: \\t \\n \\r \\f \\uXXXX, escaped separators in keys, other chars stand for themselves', () => {
  assert.deepEqual(parse('tab=a\\tb\nnl=a\\nb\nu=\\u00e9\\u0041\nkey\\=with\\:seps\\ and\\ space=v\nq=\\q\\\\'), {
    tab: 'a\tb', nl: 'a\nb', u: 'éA', 'key=with:seps and space': 'v', q: 'q\\',
  });
});

test('CRLF and CR line endings', () => {
  assert.deepEqual(parse('a=1\r\nb=2\rc=3'), { a: '1', b: '2', c: '3' });
});

test('a later duplicate key wins; entries keep their line numbers', () => {
  const parsed = parseProperties('a=1\n\nb=2\na=3');
  assert.equal(parsed.values.get('a'), '3');
  assert.deepEqual(parsed.entries.map((e) => [e.key, e.line]), [['a', 1], ['b', 3], ['a', 4]]);
});

test('a malformed \\u escape is reported with its line, other entries survive', () => {
  const parsed = parseProperties('ok=1\nbad=\\u12G4\nalso=2');
  assert.deepEqual(Object.fromEntries(parsed.values), { ok: '1', also: '2' });
  assert.equal(parsed.problems.length, 1);
  assert.equal(parsed.problems[0]?.key, 'bad');
  assert.match(parsed.problems[0]?.reason ?? '', /line 2: Malformed \\uxxxx encoding/);
});

test('a typical server.properties', () => {
  const text = [
    '############################# Server Basics #############################',
    'process.roles=broker,controller',
    'node.id=1',
    'controller.quorum.voters=1@localhost:9093',
    'listeners=PLAINTEXT://:9092,CONTROLLER://:9093',
    'log.dirs=/tmp/kraft-combined-logs',
    'log.retention.hours=168',
  ].join('\n');
  assert.deepEqual(parse(text), {
    'process.roles': 'broker,controller',
    'node.id': '1',
    'controller.quorum.voters': '1@localhost:9093',
    listeners: 'PLAINTEXT://:9092,CONTROLLER://:9093',
    'log.dirs': '/tmp/kraft-combined-logs',
    'log.retention.hours': '168',
  });
});
