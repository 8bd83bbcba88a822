/**
 * Every Redis key genejobs uses is built here and nowhere else.
 *
 * Every key starts with the prefix and then its store's name (`genes`, `queue`, `jobs`, `job`,
 * `result`), so the four stores can share one database. The braces are Redis Cluster hash tags:
 * keys that one atomic step touches hash to the same slot, everything else spreads.
 * - `{<prefix>}:...`: the queue (lists, active hash, delayed set, job index, workers), the gene
 *   data and the metrics share one tag, hence one slot: the queue's scripts move ids between them.
 * - `<prefix>:job:{<id>}` and `<prefix>:result:{<id>}`: a job's record and its result share the
 *   job id's tag, so they are one slot together and jobs spread over every master by id. On a
 *   cluster no script touches a record and the queue at once (`queue-two-steps.ts` orders the two
 *   steps); on a single Redis the hot-path scripts do (`queue-one-step.ts`).
 * A complete job is one key (its result hash, which its record's fields moved into) and its listing
 * entry, nothing else.
 */
export interface Keys {
  /** The hash tag of the queue, gene data and metrics keys, e.g. `{genejobs}`. */
  readonly root: string
  genes: {
    /** String: the id of the gene data version readers should use. */
    current: string
    /** String with a TTL: held while a load runs, so two loads never interleave. */
    loadLock: string
    /**
     * Hash: numeric HGNC id -> the record's JSON exactly as the source had it, encoded with the
     * version's codebook (genes/record-codec.ts).
     */
    records: (version: string) => string
    /** List: every `hgnc_id`, in source order. */
    ids: (version: string) => string
    /** Sorted set: score numeric HGNC id, member a tab-separated projection used by analyses and symbol look-ups. */
    projection: (version: string) => string
    /**
     * Hash: lower-cased symbol -> the genes it names, best match first: comma-separated `<rank><numeric
     * id>`, rank 0 approved, 1 previous, 2 alias, 3 withdrawn.
     */
    symbols: (version: string) => string
    /** Hash: count, source, loaded_at, sha256 (of the source bytes), ms of one version. */
    meta: (version: string) => string
    /**
     * Sorted set (all scores 0, read by ZRANGEBYLEX): `<lower-cased symbol>\t<rank>\t<numeric id>`
     * for every approved, previous, alias and withdrawn symbol, for prefix search.
     */
    prefixes: (version: string) => string
    /** Hash: lower-cased word of a name, previous name or alias name -> comma-separated numeric ids. */
    words: (version: string) => string
    /** String: JSON array of the pieces the version's records are encoded with (genes/record-codec.ts). */
    codebook: (version: string) => string
    /**
     * Hash: one per indexed field (`INDEXED_FIELDS`): lower-cased value -> the comma-separated
     * numeric ids of the genes that have it, in source order, packed in about a thousand buckets
     * (genes/field-index.ts, `indexBucket`). Written at load time.
     */
    fieldIndex: (version: string, field: IndexedField) => string
    /** All keys of one version (records first, then the parts, then one index per field), for swapping and deleting. */
    versionKeys: (version: string) => string[]
    /**
     * The start of every per-version key: such a key is this prefix, the version id, then the suffix
     * of its kind. Scripts that read the current version get both, so they find its keys in one step.
     */
    versionPrefix: string
    /** The end of each kind of per-version key, after the version id (see `versionPrefix`). */
    versionSuffix: Readonly<Record<GeneVersionPart, string>>
    /** The end of one field index's key, after the version id (see `versionPrefix`). */
    fieldIndexSuffix: (field: IndexedField) => string
  }
  queue: {
    /** List: job ids waiting for a worker (LPUSH in, taken from the right). */
    pending: string
    /** List: the job ids one worker has taken and not finished (the reliable-queue pattern). */
    processing: (workerId: string) => string
    /** String with a TTL: exists while the worker is alive. */
    heartbeat: (workerId: string) => string
    /**
     * Hash with a TTL (renewed by each heartbeat): who a worker is, for operators (`GET /queue`):
     * `host`, `pid`, `started_at` (ISO), `heartbeat_at` (ms).
     */
    workerInfo: (workerId: string) => string
    /** Set: ids of workers that may hold jobs, for the reaper. */
    workers: string
    /** Hash: job id -> the worker whose claim runs it; every job in progress is here, for the reaper. */
    active: string
    /** Sorted set: score the time (ms) a retry is due, member job id; jobs backing off before a retry. */
    delayed: string
  }
  jobs: {
    /**
     * Hash: one job record, in the job id's own slot (`<prefix>:job:{<id>}`), while the job waits,
     * runs or has failed; a completion moves its fields into the result hash and deletes it. An
     * upload's full parameters sit in its `input` field (its `params` hold a summary), so they are
     * written with the record and expire with it.
     */
    record: (id: string) => string
    /**
     * What comes before and after a job id in its record's key, for a script that learns the ids
     * as it runs (single Redis only: on a cluster a script reaches no other slot).
     */
    recordParts: readonly [string, string]
    /**
     * List: the job listing, job ids newest first (LPUSH as each job is queued, so in the order
     * they were created). An id stays until a listing or the reaper's pruning finds its job gone
     * (expired): the job is what counts. A list entry is the id's bytes and two more, where a
     * sorted set's costs about 130 bytes a job.
     */
    listing: string
    /**
     * Sorted set (releases before the listing was a list): score creation time (ms), member job id.
     * The reaper moves what it holds to the tail of `listing` (`migrateLegacyListing`).
     */
    legacyIndex: string
    /**
     * Pub/sub channel (not a key): each transition of job `id` publishes its new state here, for
     * `GET /jobs/:id/events`. Scripts get `events('')` as a prefix and append the id.
     */
    events: (id: string) => string
  }
  results: {
    /**
     * Hash: a complete job, whole: its record's fields (status, times, attempts, ...) and its
     * result's forms (`json`, and drawn forms such as `svg`, `png`), in its record's slot.
     */
    result: (id: string) => string
  }
  metrics: {
    /**
     * Hash: the job counters workers keep for every process to read (`MetricsStore`): attempts by
     * analysis and outcome, attempt durations by analysis and histogram bucket, re-queued jobs.
     */
    jobs: string
  }
  test: {
    /** Hash: tag -> how many times a test analysis ran (ENABLE_TEST_ANALYSES only). */
    runs: string
  }
}

/** The kinds of key one gene data version has, in the order `versionKeys` lists them (records first). */
const GENE_VERSION_PARTS = ['records', 'ids', 'projection', 'symbols', 'meta', 'prefixes', 'words', 'codebook'] as const

/** One kind of key a gene data version has. */
export type GeneVersionPart = typeof GENE_VERSION_PARTS[number]

/**
 * The fields `GET /fetch/:field/:value` looks genes up by: HGNC's own fetch fields and every other
 * identifier-like field HGNC publishes (absent ones simply have an empty index).
 */
export const FETCH_FIELDS = [
  'hgnc_id', 'symbol', 'prev_symbol', 'alias_symbol', 'entrez_id', 'ensembl_gene_id', 'uniprot_ids',
  'refseq_accession', 'omim_id', 'ucsc_id', 'vega_id', 'ccds_id', 'mgd_id', 'rgd_id', 'ena', 'pubmed_id',
  'cosmic', 'mirbase', 'orphanet', 'iuphar', 'horde_id', 'merops', 'imgt', 'lncrnadb', 'snornabase',
  'rna_central_id', 'enzyme_id', 'pseudogene.org', 'bioparadigms_slc', 'intermediate_filament_db',
  'kznf_gene_catalog', 'mamit-trnadb', 'homeodb', 'cd', 'gene_group_id', 'uuid', 'agr', 'mane_select',
  'lncipedia', 'gtrnadb'
] as const

/** A field `GET /fetch/:field/:value` looks genes up by. */
export type FetchField = typeof FETCH_FIELDS[number]

/** The fields `GET /genes` and `GET /data` filter by (`chromosome` is read from `location`). */
export const FILTER_FIELDS = ['status', 'locus_group', 'locus_type', 'chromosome'] as const

/** Every field with a value -> genes index, written at load time. */
export const INDEXED_FIELDS = [...FETCH_FIELDS, ...FILTER_FIELDS] as const

/** A field with a value -> genes index. */
export type IndexedField = typeof INDEXED_FIELDS[number]

/** Builds the key names for one key prefix (normally `genejobs`; tests may use their own). */
export function createKeys (prefix = 'genejobs'): Keys {
  const root = `{${prefix}}`
  const versionPrefix = `${root}:genes:v:`
  const versionSuffix = Object.fromEntries(GENE_VERSION_PARTS.map((part) => [part, `:${part}`])) as Record<GeneVersionPart, string>
  const version = (v: string, part: GeneVersionPart) => `${versionPrefix}${v}${versionSuffix[part]}`
  const indexSuffix = (field: IndexedField) => `:index:${field}`
  const genes = {
    current: `${root}:genes:current`,
    loadLock: `${root}:genes:load-lock`,
    records: (v: string) => version(v, 'records'),
    ids: (v: string) => version(v, 'ids'),
    projection: (v: string) => version(v, 'projection'),
    symbols: (v: string) => version(v, 'symbols'),
    meta: (v: string) => version(v, 'meta'),
    prefixes: (v: string) => version(v, 'prefixes'),
    words: (v: string) => version(v, 'words'),
    codebook: (v: string) => version(v, 'codebook'),
    fieldIndex: (v: string, field: IndexedField) => `${versionPrefix}${v}${indexSuffix(field)}`,
    fieldIndexSuffix: indexSuffix,
    versionKeys: (v: string) => [
      ...GENE_VERSION_PARTS.map((part) => version(v, part)),
      ...INDEXED_FIELDS.map((field) => `${versionPrefix}${v}${indexSuffix(field)}`)
    ],
    versionPrefix,
    versionSuffix
  }
  return {
    root,
    genes,
    queue: {
      pending: `${root}:queue:pending`,
      processing: (workerId) => `${root}:queue:worker:${workerId}:processing`,
      heartbeat: (workerId) => `${root}:queue:worker:${workerId}:heartbeat`,
      workerInfo: (workerId) => `${root}:queue:worker:${workerId}:info`,
      workers: `${root}:queue:workers`,
      active: `${root}:queue:active`,
      delayed: `${root}:queue:delayed`
    },
    jobs: {
      record: (id) => `${prefix}:job:{${id}}`,
      recordParts: [`${prefix}:job:{`, '}'],
      listing: `${root}:jobs:listing`,
      legacyIndex: `${root}:jobs:index`,
      events: (id) => `${root}:jobs:events:${id}`
    },
    results: { result: (id) => `${prefix}:result:{${id}}` },
    metrics: { jobs: `${root}:metrics:jobs` },
    test: { runs: `${root}:test:runs` }
  }
}
