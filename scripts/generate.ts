/**
 * The protocol generator: reads Kafka's schemas from ../shared/kafka-protocol (or
 * $SAMSA_KAFKA_PROTOCOL) and writes src/protocol/generated/. Run with `npm run generate`.
 * `--check` compares instead of writing and exits 1 on any difference.
 */
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateAll } from './generate/all.js';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const schemaRoot = process.env.SAMSA_KAFKA_PROTOCOL ?? resolve(repoRoot, '..', 'shared', 'kafka-protocol');
const outRoot = join(repoRoot, 'src', 'protocol', 'generated');
const check = process.argv.includes('--check');

if (!existsSync(schemaRoot)) {
  console.error(`generate: no schemas at ${schemaRoot}`);
  process.exit(2);
}
const files = generateAll(schemaRoot, JSON.parse(readFileSync(join(repoRoot, 'scripts', 'data', 'error-codes.json'), 'utf8')));
let differences = 0;
for (const [path, content] of files) {
  const target = join(outRoot, path);
  const old = existsSync(target) ? readFileSync(target, 'utf8') : undefined;
  if (old === content) continue;
  differences++;
  if (check) console.error(`generate: ${path} differs`);
  else {
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, content);
  }
}
function listFiles(dir: string, prefix = ''): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? listFiles(join(dir, e.name), `${prefix}${e.name}/`) : [`${prefix}${e.name}`]);
}
for (const stale of listFiles(outRoot).filter((p) => !files.has(p))) {
  differences++;
  if (check) console.error(`generate: ${stale} should not exist`);
  else rmSync(join(outRoot, stale));
}
console.log(`generate: ${files.size} files, ${differences} ${check ? 'differ' : 'written'}`);
process.exit(check && differences > 0 ? 1 : 0);
