// The lint step: style (eslint) and the import directions of ARCHITECTURE.md
// (dependency-cruiser). Type checking is done by `npm run build` (tsc, strict).
import { spawnSync } from 'node:child_process';

const steps = [
  ['eslint', ['--max-warnings=0', '--no-error-on-unmatched-pattern', 'src', 'scripts', 'test', 'bench']],
  ['depcruise', ['--config', '.dependency-cruiser.cjs', 'src']],
];
for (const [bin, args] of steps) {
  const r = spawnSync(`node_modules/.bin/${bin}`, args, { stdio: 'inherit' });
  if (r.status !== 0) {
    console.error(`lint: ${bin} failed`);
    process.exit(r.status ?? 1);
  }
}
console.log('lint: ok');
