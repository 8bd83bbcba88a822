/** One sample of a Prometheus text exposition: metric name, labels and value. */
export interface PromSample {
  name: string
  labels: Record<string, string>
  value: number
}

/** A parsed exposition: every sample, and each metric family's declared `# TYPE`. */
export interface PromExposition {
  samples: PromSample[]
  types: Map<string, string>
  /** The value of the one sample named `name` whose labels include `labels`; undefined when none. */
  value: (name: string, labels?: Record<string, string>) => number | undefined
  /** The sum of every sample named `name` whose labels include `labels` (0 when none). */
  sum: (name: string, labels?: Record<string, string>) => number
}

const SAMPLE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)(?: \d+)?$/
const LABEL = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g

/**
 * Parses the Prometheus text format (version 0.0.4) strictly enough for tests: a line that is
 * neither a comment nor a well-formed sample throws, as a scraper would reject it.
 */
export function parsePrometheus (text: string): PromExposition {
  const samples: PromSample[] = []
  const types = new Map<string, string>()
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue
    const type = /^# TYPE (\S+) (counter|gauge|histogram|summary|untyped)$/.exec(line)
    if (type !== null) { types.set(type[1] ?? '', type[2] ?? ''); continue }
    if (line.startsWith('#')) continue
    const match = SAMPLE.exec(line)
    if (match === null) throw new Error(`not a Prometheus sample line: ${line}`)
    const labels: Record<string, string> = {}
    for (const [, key, value] of (match[2] ?? '').matchAll(LABEL)) labels[key ?? ''] = (value ?? '').replace(/\\(.)/g, (_m, c: string) => c === 'n' ? '\n' : c)
    const raw = match[3] ?? ''
    // Prometheus reads values with Go's ParseFloat: NaN and Inf in any case (prom-client writes `Nan`).
    const value = /^\+?inf$/i.test(raw) ? Infinity : /^-inf$/i.test(raw) ? -Infinity : Number(raw)
    if (Number.isNaN(value) && !/^nan$/i.test(raw)) throw new Error(`not a number in: ${line}`)
    samples.push({ name: match[1] ?? '', labels, value })
  }
  const matching = (name: string, labels: Record<string, string>) =>
    samples.filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v))
  return {
    samples,
    types,
    value: (name, labels = {}) => matching(name, labels)[0]?.value,
    sum: (name, labels = {}) => matching(name, labels).reduce((total, s) => total + s.value, 0)
  }
}
