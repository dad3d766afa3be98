/**
 * Small, dependency-free SVG charts for experiment reports: line charts (one line per series,
 * optional log x axis) and grouped bar charts, each with titled axes, ticks and a legend.
 * Output depends only on the data, so a seeded run writes the same bytes every time.
 */

export interface Series {
  name: string
  points: Array<[x: number, y: number]>
  /** draw the line dashed (baselines) */
  dashed?: boolean
}

export interface LineChart {
  title: string
  xLabel: string
  yLabel: string
  series: Series[]
  logX?: boolean
  yMin?: number
  yMax?: number
  /** format y tick labels, e.g. as percentages */
  yFormat?: (y: number) => string
}

export interface BarChart {
  title: string
  yLabel: string
  /** one group per category along x */
  categories: string[]
  /** one bar per series in each group; values[i] belongs to categories[i] */
  series: Array<{ name: string, values: number[] }>
  yMin?: number
  yMax?: number
  yFormat?: (y: number) => string
}

const W = 800
const H = 420
const M = { left: 84, right: 250, top: 40, bottom: 56 }
const COLOURS = ['#1f77b4', '#d62728', '#2ca02c', '#ff7f0e', '#9467bd', '#8c564b', '#e377c2', '#7f7f7f']

const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
const fmt = (x: number): string => (Math.abs(x) >= 1000 ? x.toLocaleString('en-US', { maximumFractionDigits: 0 }) : Number.isInteger(x) ? String(x) : x.toFixed(2).replace(/0+$/, '').replace(/\.$/, ''))
const round2 = (x: number): string => x.toFixed(1)

/** About five round tick values covering [lo, hi]. */
function ticks (lo: number, hi: number): number[] {
  if (hi <= lo) return [lo]
  const raw = (hi - lo) / 5
  const mag = 10 ** Math.floor(Math.log10(raw))
  const step = [1, 2, 2.5, 5, 10].map(m => m * mag).find(s => s >= raw) ?? raw
  const out: number[] = []
  for (let t = Math.ceil(lo / step) * step; t <= hi + step * 1e-9; t += step) out.push(Number(t.toPrecision(12)))
  return out
}

function frame (title: string, xLabel: string, yLabel: string, body: string[]): string {
  const pw = W - M.left - M.right
  const ph = H - M.top - M.bottom
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="12">`,
    `<rect width="${W}" height="${H}" fill="white"/>`,
    `<text x="${M.left + pw / 2}" y="22" text-anchor="middle" font-size="15" font-weight="bold">${esc(title)}</text>`,
    `<text x="${M.left + pw / 2}" y="${H - 14}" text-anchor="middle">${esc(xLabel)}</text>`,
    `<text transform="translate(16 ${M.top + ph / 2}) rotate(-90)" text-anchor="middle">${esc(yLabel)}</text>`,
    ...body,
    `<rect x="${M.left}" y="${M.top}" width="${pw}" height="${ph}" fill="none" stroke="#333"/>`,
    '</svg>',
    ''
  ].join('\n')
}

function legend (names: Array<{ name: string, dashed?: boolean }>, kind: 'line' | 'bar'): string[] {
  const x = W - M.right + 16
  return names.flatMap((s, i) => {
    const y = M.top + 10 + i * 20
    const c = COLOURS[i % COLOURS.length]
    const mark = kind === 'line'
      ? `<line x1="${x}" y1="${y}" x2="${x + 22}" y2="${y}" stroke="${c}" stroke-width="2.5"${s.dashed === true ? ' stroke-dasharray="6 4"' : ''}/>`
      : `<rect x="${x + 4}" y="${y - 6}" width="14" height="12" fill="${c}"/>`
    return [mark, `<text x="${x + 28}" y="${y + 4}">${esc(s.name)}</text>`]
  })
}

function yAxis (lo: number, hi: number, y: (v: number) => number, format: (v: number) => string): string[] {
  const pw = W - M.left - M.right
  return ticks(lo, hi).flatMap(t => [
    `<line x1="${M.left}" y1="${round2(y(t))}" x2="${M.left + pw}" y2="${round2(y(t))}" stroke="#e5e5e5"/>`,
    `<text x="${M.left - 6}" y="${round2(y(t) + 4)}" text-anchor="end">${esc(format(t))}</text>`
  ])
}

export function lineChart (c: LineChart): string {
  const pts = c.series.flatMap(s => s.points)
  const tx = (x: number): number => (c.logX === true ? Math.log10(x) : x)
  const xs = pts.map(p => tx(p[0]))
  const ys = pts.map(p => p[1])
  const xLo = Math.min(...xs)
  const xHi = Math.max(...xs)
  const yLo = c.yMin ?? Math.min(0, ...ys)
  const yHi = c.yMax ?? (Math.max(...ys) * 1.05 || 1)
  const pw = W - M.left - M.right
  const ph = H - M.top - M.bottom
  const x = (v: number): number => M.left + (xHi === xLo ? pw / 2 : (tx(v) - xLo) / (xHi - xLo) * pw)
  const y = (v: number): number => M.top + ph - (yHi === yLo ? ph / 2 : (v - yLo) / (yHi - yLo) * ph)
  const body: string[] = yAxis(yLo, yHi, y, c.yFormat ?? fmt)
  const xTicks = c.logX === true
    ? [...new Set(pts.map(p => p[0]))].sort((a, b) => a - b)
    : ticks(xLo, xHi)
  for (const t of xTicks) body.push(`<text x="${round2(x(t))}" y="${M.top + ph + 18}" text-anchor="middle">${esc(fmt(t))}</text>`)
  c.series.forEach((s, i) => {
    const colour = COLOURS[i % COLOURS.length]
    const d = s.points.map(([px, py], k) => `${k === 0 ? 'M' : 'L'}${round2(x(px))} ${round2(y(py))}`).join(' ')
    body.push(`<path d="${d}" fill="none" stroke="${colour}" stroke-width="2.5"${s.dashed === true ? ' stroke-dasharray="6 4"' : ''}/>`)
    if (s.points.length <= 30) for (const [px, py] of s.points) body.push(`<circle cx="${round2(x(px))}" cy="${round2(y(py))}" r="3" fill="${colour}"/>`)
  })
  body.push(...legend(c.series, 'line'))
  return frame(c.title, c.xLabel, c.yLabel, body)
}

export function barChart (c: BarChart): string {
  const all = c.series.flatMap(s => s.values)
  const yLo = c.yMin ?? Math.min(0, ...all)
  const yHi = c.yMax ?? (Math.max(...all) * 1.1 || 1)
  const pw = W - M.left - M.right
  const ph = H - M.top - M.bottom
  const y = (v: number): number => M.top + ph - (v - yLo) / (yHi - yLo) * ph
  const body: string[] = yAxis(yLo, yHi, y, c.yFormat ?? fmt)
  const groupW = pw / c.categories.length
  const barW = groupW * 0.8 / c.series.length
  c.categories.forEach((cat, g) => {
    const gx = M.left + g * groupW + groupW * 0.1
    body.push(`<text x="${round2(M.left + (g + 0.5) * groupW)}" y="${M.top + ph + 18}" text-anchor="middle">${esc(cat)}</text>`)
    c.series.forEach((s, i) => {
      const v = s.values[g]
      const top = y(Math.max(v, yLo))
      body.push(`<rect x="${round2(gx + i * barW)}" y="${round2(top)}" width="${round2(barW - 2)}" height="${round2(M.top + ph - top)}" fill="${COLOURS[i % COLOURS.length]}"/>`)
      body.push(`<text x="${round2(gx + i * barW + barW / 2 - 1)}" y="${round2(top - 4)}" text-anchor="middle" font-size="10">${esc((c.yFormat ?? fmt)(v))}</text>`)
    })
  })
  body.push(...legend(c.series, 'bar'))
  return frame(c.title, '', c.yLabel, body)
}

export const percent = (y: number): string => `${Math.round(y * 100)}%`
