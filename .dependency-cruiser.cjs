// Import directions from ../shared/ARCHITECTURE.md. Each module may import itself and the
// modules listed here; anything else under src/ is an error. The reasons sit beside each rule.
const allowed = {
  common: { may: [], why: 'the base layer: clock, random, queues, errors; depends on nothing' },
  protocol: { may: ['common'], why: 'pure codecs: no node:net, no node:fs, no server code' },
  storage: { may: ['protocol', 'common'], why: 'the log knows bytes and records, not the network' },
  raft: { may: ['protocol', 'common'], why: 'the quorum is a state machine over its own log' },
  metadata: { may: ['raft', 'protocol', 'common'], why: 'the image is built from the raft log' },
  coordinator: { may: ['metadata', 'protocol', 'common'], why: 'deterministic state machines' },
  broker: { may: ['common', 'protocol', 'storage', 'raft', 'metadata', 'coordinator'], why: 'wires the server together' },
  client: { may: ['protocol', 'common'], why: 'publishable alone: never imports server code' },
  streams: { may: ['client', 'common'], why: 'built on the public client' },
  connect: { may: ['client', 'common'], why: 'built on the public client' },
  console: { may: ['client', 'common'], why: 'talks to brokers as a client does' },
  cli: { may: ['common', 'protocol', 'storage', 'raft', 'metadata', 'coordinator', 'broker', 'client', 'streams', 'connect', 'console', 'testkit'], why: 'the top: may use everything' },
  testkit: { may: ['broker', 'client', 'common', 'protocol'], why: 'in-process brokers for tests' },
};
const modules = Object.keys(allowed);

const forbidden = modules.map((name) => {
  const ok = [name, ...allowed[name].may];
  const notOk = modules.filter((m) => !ok.includes(m));
  return {
    name: `${name}-imports`,
    comment: `${name} may import only ${ok.join(', ')}: ${allowed[name].why}`,
    severity: 'error',
    from: { path: `^src/${name}/` },
    to: { path: `^src/(${notOk.join('|') || '$^'})/` },
  };
});

forbidden.push(
  {
    name: 'protocol-no-io',
    comment:
      'protocol is pure: no sockets, no files. One exception: zstd-wasm.ts reads the zstd WebAssembly ' +
      'code shipped in its npm package the first time zstd is used (loading code, as require does, not data).',
    severity: 'error',
    from: { path: '^src/protocol/', pathNot: '^src/protocol/compression/zstd-wasm\\.ts$' },
    to: { path: '^(node:)?(net|fs|fs/promises|tls|dgram|http|https)$', dependencyTypes: ['core'] },
  },
  {
    name: 'no-unknown-module',
    comment: 'every folder under src/ is a module named in ARCHITECTURE.md',
    severity: 'error',
    from: { path: '^src/' },
    to: { path: `^src/(?!(${modules.join('|')})/)` },
  },
  {
    name: 'no-circular',
    comment: 'cycles make layers meaningless',
    severity: 'error',
    from: {},
    to: { circular: true },
  },
);

module.exports = {
  forbidden,
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '\\.test\\.ts$' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
  },
};
