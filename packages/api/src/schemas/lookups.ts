import Type from 'typebox'
import { FETCH_FIELDS } from '@genejobs/jobs-core'
import { GeneRecord } from './genes.js'

/** The answer of `GET /fetch`: the fields genes can be fetched by. */
export const FetchFieldList = Type.Object({
  fields: Type.Array(Type.String(), { description: 'the fields `GET /fetch/:field/:value` takes' })
})

/** `:field` and `:value` in `GET /fetch/:field/:value`. */
export const FetchParams = Type.Object({
  field: Type.Enum([...FETCH_FIELDS], { description: 'an indexed field (GET /fetch lists them)' }),
  value: Type.String({ minLength: 1, maxLength: 100, description: '1 to 100 characters' })
}, { additionalProperties: false })

/** The answer of `GET /fetch/:field/:value`: every gene with that value, records exact as sourced. */
export const FetchResult = Type.Object({
  total: Type.Integer({ description: 'how many genes have the value' }),
  genes: Type.Array(GeneRecord)
})

/** The query of `GET /search`. */
export const SearchQuery = Type.Object({
  q: Type.String({ minLength: 1, maxLength: 200, pattern: '[^\\s*]', description: 'the text to find, 1 to 200 characters (a trailing * means prefix)' }),
  limit: Type.Integer({ minimum: 1, maximum: 100, default: 20, description: 'at most this many hits, 1 to 100' }),
  offset: Type.Integer({ minimum: 0, maximum: 100000, default: 0, description: 'skip this many hits, 0 to 100000' })
}, { additionalProperties: false })

/** One hit of `GET /search`. */
export const SearchHit = Type.Object({
  hgnc_id: Type.String(),
  symbol: Type.String(),
  name: Type.String(),
  status: Type.String(),
  match: Type.String({ description: 'symbol, previous, alias, name, id, or the cross-reference field that matched' }),
  matched: Type.String({ description: 'the text that matched, as the record has it' })
})

/** The answer of `GET /search`. */
export const SearchResult = Type.Object({
  total: Type.Integer({ description: 'how many genes match in all' }),
  hits: Type.Array(SearchHit)
})
