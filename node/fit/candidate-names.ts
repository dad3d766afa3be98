import type { CsvRecordReader } from './csv-records.js'

/**
 * Candidate names interned straight from the file's bytes: an open-addressing table of byte
 * ranges, each decoded to a string once. Two byte strings that decode to the same text (invalid
 * UTF-8 becomes U+FFFD) are one candidate, as they were when the whole file was decoded first.
 */
export class CandidateNames {
  /** Names in order of first appearance. */
  readonly ids: string[] = []
  private readonly byName = new Map<string, number>()
  private readonly bytes: Buffer
  /** Entry number + 1, 0 for an empty slot; no rehash below 2,048 distinct names. */
  private slots: Int32Array = new Int32Array(4096)
  private entryStart: Int32Array = new Int32Array(2048)
  private entryEnd: Int32Array = new Int32Array(2048)
  private entryId: Int32Array = new Int32Array(2048)
  private entries = 0

  constructor (bytes: Buffer) {
    this.bytes = bytes
  }

  /** The index in `ids` of field f of the reader's record, adding it if new. */
  intern (reader: CsvRecordReader, f: number): number {
    const text = reader.fieldText[f]
    return text === undefined ? this.internBytes(reader.fieldStart[f], reader.fieldEnd[f]) : this.byText(text)
  }

  /** The index in `ids` of the name in bytes start..end of the file, adding it if new. */
  internBytes (start: number, end: number): number {
    const b = this.bytes
    const size = end - start
    const mask = this.slots.length - 1
    for (let slot = hashBytes(b, start, end) & mask; ; slot = (slot + 1) & mask) {
      const entry = this.slots[slot] - 1
      if (entry === -1) return this.add(slot, start, end)
      const s = this.entryStart[entry]
      if (this.entryEnd[entry] - s !== size) continue
      let k = 0
      while (k < size && b[s + k] === b[start + k]) k++
      if (k === size) return this.entryId[entry]
    }
  }

  private add (slot: number, start: number, end: number): number {
    const id = this.byText(this.bytes.toString('utf8', start, end))
    const entry = this.entries++
    if (entry === this.entryStart.length) {
      this.entryStart = grown(this.entryStart)
      this.entryEnd = grown(this.entryEnd)
      this.entryId = grown(this.entryId)
    }
    this.entryStart[entry] = start
    this.entryEnd[entry] = end
    this.entryId[entry] = id
    this.slots[slot] = entry + 1
    if (this.entries * 2 > this.slots.length) this.rehash()
    return id
  }

  private byText (text: string): number {
    let id = this.byName.get(text)
    if (id === undefined) {
      id = this.ids.length
      this.ids.push(text)
      this.byName.set(text, id)
    }
    return id
  }

  private rehash (): void {
    this.slots = new Int32Array(this.slots.length * 2)
    const mask = this.slots.length - 1
    for (let entry = 0; entry < this.entries; entry++) {
      let slot = hashBytes(this.bytes, this.entryStart[entry], this.entryEnd[entry]) & mask
      while (this.slots[slot] !== 0) slot = (slot + 1) & mask
      this.slots[slot] = entry + 1
    }
  }
}

/** FNV-1a. */
function hashBytes (b: Uint8Array, start: number, end: number): number {
  let hash = 0x811c9dc5
  for (let p = start; p < end; p++) hash = Math.imul(hash ^ b[p], 0x01000193)
  return hash
}

function grown (array: Int32Array): Int32Array {
  const next = new Int32Array(array.length * 2)
  next.set(array)
  return next
}
