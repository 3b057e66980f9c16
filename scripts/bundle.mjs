/**
 * Bundles the `samsa` command (dist/src/cli/main.js and everything it imports) into one file,
 * dist/src/cli/samsa.js, which `bin` and `npm start` run. Node's ES module loader spends most
 * of a cold start resolving, reading and compiling the ~600 files one by one; one file starts
 * in about a third of the time. npm packages stay outside the bundle and load from node_modules.
 * The bundle sits beside main.js so paths relative to import.meta.url (package.json) still hold.
 */
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

await build({
  absWorkingDir: root,
  entryPoints: ['dist/src/cli/main.js'],
  outfile: 'dist/src/cli/samsa.js',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  packages: 'external',
  sourcemap: 'linked',
  logLevel: 'warning',
});
