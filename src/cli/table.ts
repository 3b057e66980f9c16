/** Column-aligned text tables, the way Kafka's command-line tools print them. */

/** Lines of a table: each column as wide as its widest cell, one space between, no trailing spaces. */
export function formatTable(headers: readonly string[], rows: readonly (readonly string[])[]): string[] {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]): string =>
    cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]! + 1))).join('').trimEnd();
  return [line(headers), ...rows.map(line)];
}
