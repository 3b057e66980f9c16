/** The machine a bench run ran on, for the report: CPU, cores, memory, OS, Node and kcat versions. */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cpus, release, totalmem, type } from 'node:os';

export interface Machine {
  cpu: string;
  cores: number;
  memoryGiB: number;
  os: string;
  node: string;
  kcat: string;
}

function kcatVersion(): string {
  try {
    const out = execFileSync('/usr/bin/kcat', ['-V'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    const m = /Version (\S+).*librdkafka (\S+)/s.exec(out);
    return m ? `${m[1]} (librdkafka ${m[2]})` : out.split('\n')[0]!.trim();
  } catch {
    return 'not installed';
  }
}

function osName(): string {
  try {
    const m = /^PRETTY_NAME="?([^"\n]+)"?/m.exec(readFileSync('/etc/os-release', 'utf8'));
    if (m) return `${m[1]} (${type()} ${release()})`;
  } catch {
    // not Linux
  }
  return `${type()} ${release()}`;
}

export function describeMachine(): Machine {
  const list = cpus();
  return {
    cpu: list[0]?.model.trim() ?? 'unknown',
    cores: list.length,
    memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    os: osName(),
    node: process.version,
    kcat: kcatVersion(),
  };
}
