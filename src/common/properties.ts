/**
 * Java `.properties` text, read the way java.util.Properties.load reads it: `#`/`!` comments,
 * `=`, `:` or whitespace between key and value, a trailing odd backslash continues the line
 * (the next line's leading whitespace dropped), and escapes \t \n \r \f \uXXXX (any other
 * escaped char stands for itself). A later duplicate key wins. Kafka reads server.properties
 * as ISO-8859-1; callers with a Buffer can decode it with 'latin1' to match.
 */
/** A line that does not parse, by key (or line number). */
export interface PropertyProblem {
  readonly key: string;
  readonly reason: string;
}

export interface PropertyEntry {
  readonly key: string;
  readonly value: string;
  /** 1-based line where the entry starts. */
  readonly line: number;
}

export interface ParsedProperties {
  readonly entries: readonly PropertyEntry[];
  /** Key → value, later entries winning, in first-appearance order. */
  readonly values: ReadonlyMap<string, string>;
  readonly problems: readonly PropertyProblem[];
}

function isBlank(c: string | undefined): boolean {
  return c === ' ' || c === '\t' || c === '\f';
}

function stripLeading(line: string): string {
  let i = 0;
  while (isBlank(line[i])) i++;
  return line.slice(i);
}

function endsWithOddBackslashes(line: string): boolean {
  let count = 0;
  for (let i = line.length - 1; i >= 0 && line[i] === '\\'; i--) count++;
  return count % 2 === 1;
}

/** Undoes escapes; throws on a malformed \uXXXX as Java does. */
function unescape(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c !== '\\') {
      out += c;
      continue;
    }
    const next = text[++i];
    if (next === 'u') {
      const hex = text.slice(i + 1, i + 5);
      if (!/^[0-9a-fA-F]{4}$/.test(hex)) throw new Error('Malformed \\uxxxx encoding.');
      out += String.fromCharCode(parseInt(hex, 16));
      i += 4;
    } else if (next === 't') out += '\t';
    else if (next === 'n') out += '\n';
    else if (next === 'r') out += '\r';
    else if (next === 'f') out += '\f';
    else if (next !== undefined) out += next;
  }
  return out;
}

/** Splits a logical line into its raw (still escaped) key and value. */
function splitKeyValue(line: string): [string, string] {
  let keyEnd = 0;
  let valueStart = line.length;
  let hasSeparator = false;
  let escaped = false;
  for (; keyEnd < line.length; keyEnd++) {
    const c = line[keyEnd];
    if (!escaped && (c === '=' || c === ':')) {
      valueStart = keyEnd + 1;
      hasSeparator = true;
      break;
    }
    if (!escaped && isBlank(c)) {
      valueStart = keyEnd + 1;
      break;
    }
    escaped = c === '\\' ? !escaped : false;
  }
  while (valueStart < line.length) {
    const c = line[valueStart];
    if (!isBlank(c)) {
      if (hasSeparator || (c !== '=' && c !== ':')) break;
      hasSeparator = true;
    }
    valueStart++;
  }
  return [line.slice(0, keyEnd), line.slice(valueStart)];
}

/** Parses `.properties` text; malformed escapes are reported, not thrown. */
export function parseProperties(text: string): ParsedProperties {
  const lines = text.split(/\r\n|\r|\n/);
  const entries: PropertyEntry[] = [];
  const problems: PropertyProblem[] = [];
  let i = 0;
  while (i < lines.length) {
    const lineNumber = i + 1;
    let logical = stripLeading(lines[i++] ?? '');
    if (logical === '' || logical[0] === '#' || logical[0] === '!') continue;
    while (endsWithOddBackslashes(logical)) {
      logical = logical.slice(0, -1);
      if (i >= lines.length) break;
      logical += stripLeading(lines[i++] ?? '');
    }
    const [rawKey, rawValue] = splitKeyValue(logical);
    try {
      entries.push({ key: unescape(rawKey), value: unescape(rawValue), line: lineNumber });
    } catch (e) {
      problems.push({ key: unescapeLoosely(rawKey), reason: `line ${lineNumber}: ${(e as Error).message}` });
    }
  }
  const values = new Map<string, string>();
  for (const entry of entries) values.set(entry.key, entry.value);
  return { entries, values, problems };
}

function unescapeLoosely(rawKey: string): string {
  try {
    return unescape(rawKey);
  } catch {
    return rawKey;
  }
}
