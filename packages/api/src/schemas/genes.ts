import Type, { type Static } from 'typebox'
import { HGNC_ID_INPUT_PATTERN } from '@genejobs/jobs-core'

/** `:hgnc_id` in gene routes: `HGNC:5`, `hgnc:5` or `5`. */
export const GeneParams = Type.Object({
  hgnc_id: Type.String({ pattern: HGNC_ID_INPUT_PATTERN, maxLength: 14, description: 'HGNC:<number>, hgnc:<number> or <number>' })
}, { additionalProperties: false })
/** Params of `GET /genes/:hgnc_id`. */
export type GeneParams = Static<typeof GeneParams>

/** A gene record as HGNC publishes it (many optional fields; only these are always there). */
export const GeneRecord = Type.Object({
  hgnc_id: Type.String(),
  symbol: Type.String()
}, { additionalProperties: true })

/** Every `hgnc_id`, in source order. */
export const GeneIdList = Type.Array(Type.String())

/** `:symbol` in `GET /symbols/:symbol`: printable ASCII, no spaces or slashes. */
export const SymbolParams = Type.Object({
  symbol: Type.String({ pattern: '^[!-.0-~]{1,64}$', maxLength: 64, description: '1 to 64 printable characters without spaces or "/"' })
}, { additionalProperties: false })
/** Params of `GET /symbols/:symbol`. */
export type SymbolParams = Static<typeof SymbolParams>

/** One gene a symbol points to. */
export const SymbolMatch = Type.Object({
  match: Type.Enum(['approved', 'previous', 'alias', 'withdrawn']),
  hgnc_id: Type.String(),
  symbol: Type.String(),
  name: Type.String()
})

/** The answer of `GET /symbols/:symbol`. */
export const SymbolLookup = Type.Object({
  query: Type.String(),
  matches: Type.Array(SymbolMatch)
})

/** The answer of `POST /data`. */
export const LoadResult = Type.Object({
  loaded: Type.Integer({ description: 'how many genes the new data set holds' }),
  source: Type.String({ description: 'where they were read from (HGNC_SOURCE)' }),
  ms: Type.Integer({ description: 'how long the load took, in milliseconds' }),
  message: Type.String({ description: 'the same, in words' })
})

/** The answer of `DELETE /data`. */
export const DeleteResult = Type.Object({
  deleted: Type.Integer({ description: 'how many genes were deleted' }),
  message: Type.String({ description: 'the same, in words' })
})

/** The answer of `GET /data/info`, and the `data` of every job result: which data version it is. */
export const DataInfo = Type.Object({
  version: Type.String({ description: 'the data version id (a new one per load)' }),
  source: Type.String({ description: 'where it was read from (HGNC_SOURCE)' }),
  loaded_at: Type.String({ description: 'when the load finished, ISO 8601' }),
  sha256: Type.Union([Type.String(), Type.Null()], { description: 'SHA-256 of the source bytes as downloaded (before gunzip)' }),
  genes: Type.Integer({ description: 'how many genes it holds' })
})
