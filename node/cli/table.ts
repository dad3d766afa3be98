/** A plain-text table; `alignRight[k]` right-aligns column k (numbers). */
export function formatTable (header: string[], rows: string[][], alignRight: boolean[] = []): string {
  const widths = header.map((h, k) => Math.max(h.length, ...rows.map(r => (r[k] ?? '').length)))
  const line = (cells: string[]): string => cells
    .map((c, k) => (alignRight[k] === true ? c.padStart(widths[k]) : c.padEnd(widths[k])))
    .join('  ')
    .trimEnd()
  return [line(header), line(widths.map(w => '-'.repeat(w))), ...rows.map(line)].join('\n')
}
