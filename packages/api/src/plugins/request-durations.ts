/** One series of the request-duration histogram: its labels, a count per bucket, the sum and count. */
interface Series {
  labels: { method: string, route: string, status_code: number }
  buckets: Float64Array
  sum: number
  count: number
}

/** A histogram value as prom-client's registry prints it. */
interface HistogramValue {
  metricName: string
  labels: Record<string, string | number>
  value: number
}

/**
 * The API's request-duration histogram (`genejobs_http_request_duration_seconds`), as a metric
 * prom-client's registry prints like its own histograms. It exists because prom-client's
 * `Histogram.observe` re-validates and re-hashes the labels on every call, about 4% of the CPU of a
 * cached `GET /genes/:hgnc_id`; here an observation is one Map look-up by a string key and a
 * bucket increment.
 */
export class RequestDurations {
  readonly name = 'genejobs_http_request_duration_seconds'
  readonly help = 'How long the API took to answer, by method, route pattern and status code.'
  readonly type = 'histogram'
  readonly aggregator = 'sum'
  private readonly series = new Map<string, Series>()

  /** `bounds`: the buckets' upper bounds (seconds), ascending. */
  constructor (private readonly bounds: readonly number[]) {}

  /** Counts one answer of `route` (the pattern, never the path) that took `seconds`. */
  observe (method: string, route: string, statusCode: number, seconds: number): void {
    const key = `${method} ${statusCode} ${route}`
    let series = this.series.get(key)
    if (series === undefined) {
      series = { labels: { method, route, status_code: statusCode }, buckets: new Float64Array(this.bounds.length), sum: 0, count: 0 }
      this.series.set(key, series)
    }
    const bucket = this.bounds.findIndex((bound) => seconds <= bound)
    if (bucket >= 0) series.buckets[bucket]!++
    series.sum += seconds
    series.count++
  }

  /** The histogram for the registry: cumulative buckets, `+Inf`, sum and count of each series. */
  async get (): Promise<{ name: string, help: string, type: string, aggregator: string, values: HistogramValue[] }> {
    const values: HistogramValue[] = []
    for (const { labels, buckets, sum, count } of this.series.values()) {
      let cumulative = 0
      this.bounds.forEach((le, i) => {
        cumulative += buckets[i]!
        values.push({ metricName: `${this.name}_bucket`, labels: { ...labels, le }, value: cumulative })
      })
      values.push({ metricName: `${this.name}_bucket`, labels: { ...labels, le: '+Inf' }, value: count })
      values.push({ metricName: `${this.name}_sum`, labels, value: sum })
      values.push({ metricName: `${this.name}_count`, labels, value: count })
    }
    return { name: this.name, help: this.help, type: this.type, aggregator: this.aggregator, values }
  }

  /** Forgets every observation (the registry's `resetMetrics`). */
  reset (): void {
    this.series.clear()
  }
}
