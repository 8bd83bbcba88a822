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
