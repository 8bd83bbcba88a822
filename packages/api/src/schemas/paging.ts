import Type, { type Static } from 'typebox'

const filterValue = (what: string) => Type.Optional(Type.String({ minLength: 1, maxLength: 100, description: `only genes whose ${what} is this (case-insensitive), 1 to 100 characters` }))

/** The query of `GET /genes` and `GET /data`: filters, and paging by `limit` and `cursor`. */
export const GeneListQuery = Type.Object({
  status: filterValue('status (Approved, Entry Withdrawn)'),
  locus_group: filterValue('locus group'),
  locus_type: filterValue('locus type'),
  chromosome: filterValue('chromosome (1-22, X, Y, MT; read from location)'),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 50000, description: 'at most this many per page, 1 to 50000' })),
  cursor: Type.Optional(Type.String({ maxLength: 64, description: 'the cursor a previous page\'s Link header gave' }))
}, { additionalProperties: false })

/** The query of `GET /genes` and `GET /data`. */
export type GeneListQuery = Static<typeof GeneListQuery>
