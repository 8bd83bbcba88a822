/** One column of a result's table download (CSV/TSV): which row field, under which header. */
export interface TableColumn {
  field: string
  header: string
  /** Shows a value differently in the download (e.g. `approved` -> `Approved symbol`). */
  labels?: Readonly<Record<string, string>>
}
