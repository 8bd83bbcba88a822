import neostandard from 'neostandard'

export default [
  ...neostandard({ ts: true, ignores: ['**/dist/**', 'node_modules/**', 'data/**'] }),
  {
    rules: {
      // TypeBox idiom: a schema constant and its Static<> type share one name.
      '@typescript-eslint/no-redeclare': 'off'
    }
  }
]
