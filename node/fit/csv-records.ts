/**
 * A CSV record reader over the file's bytes (RFC 4180 quoting): the general path of the
 * comparisons reader, for the header and for any record `PlainRows` leaves (quotes, blank
 * lines, bad rows). An unquoted field stays a byte range of the file until asked for as text.
 *
 * The grammar is the one the string parser it replaces accepted, decision for decision:
 *  - a UTF-8 byte-order mark at the very start is skipped;
 *  - a record ends at LF, CR LF or a lone CR (outside quotes);
 *  - a `"` opens a quoted field only when the field so far is empty; elsewhere it is a literal;
 *    inside quotes `""` is one `"`, and after the closing quote more plain text may follow
 *    (`"a"b` is `ab`);
 *  - the last record needs no line break, but a file ending in a line break has no empty
 *    record after it, nor does one ending in an empty field alone (a final `""`);
 *  - a file that ends inside quotes is an error, found however far back the quote opened.
 * Decoding each field on its own gives the same text as decoding the whole file first: fields
 * end at ASCII bytes, which never continue a UTF-8 sequence.
 */

export const LF = 0x0a
export const CR = 0x0d
export const QUOTE = 0x22
export const COMMA = 0x2c

/** The file ends inside a quoted field. */
export class UnterminatedQuoteError extends Error {
  override name = 'UnterminatedQuoteError'
  constructor () {
    super('unterminated quoted field at the end of the file')
  }
}

/** Reads one record per `next()` into its field arrays, from `position` on. */
export class CsvRecordReader {
  readonly bytes: Buffer
  /** Fields in the current record. */
  fieldCount = 0
  /** Byte range of field f of the current record, where it was not quoted. */
  fieldStart: Int32Array = new Int32Array(16)
  fieldEnd: Int32Array = new Int32Array(16)
  /** Text of field f where it was quoted (undefined where it is a plain byte range). */
  fieldText: Array<string | undefined> = new Array<string | undefined>(16).fill(undefined)
  /** Where the next record starts (the caller may move it to a record start it found itself). */
  position: number

  constructor (bytes: Uint8Array) {
    this.bytes = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)
    const b = this.bytes
    this.position = b.length >= 3 && b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf ? 3 : 0
  }

  /** Read the next record into the field arrays; false at the end of the file. */
  next (): boolean {
    const b = this.bytes
    const length = b.length
    let p = this.position
    if (p >= length) return false
    let f = 0
    for (;;) {
      if (f === this.fieldStart.length) this.grow()
      if (p < length && b[p] === QUOTE) {
        p = this.quotedField(f, p)
      } else {
        const start = p
        // Every byte above ',' is plain text; below it only LF, CR and ',' itself end the field
        // (a `"` after the first byte is a literal).
        while (p < length) {
          const c = b[p]
          if (c > COMMA || (c !== COMMA && c !== LF && c !== CR)) p++
          else break
        }
        this.fieldStart[f] = start
        this.fieldEnd[f] = p
        this.fieldText[f] = undefined
      }
      f++
      if (p >= length) {
        this.position = p
        this.fieldCount = f
        // At the end of the file without a line break, the string parser kept the last record
        // only if it had a field or text: a final quoted empty field alone (`""`) is no record.
        return !(f === 1 && this.fieldText[0] === '')
      }
      const c = b[p++]
      if (c === COMMA) continue
      if (c === CR && p < length && b[p] === LF) p++
      break
    }
    this.position = p
    this.fieldCount = f
    return true
  }

  /** Whether field f of the current record is the empty string. */
  isEmpty (f: number): boolean {
    const text = this.fieldText[f]
    return text === undefined ? this.fieldStart[f] === this.fieldEnd[f] : text === ''
  }

  /** Field f of the current record as text. */
  field (f: number): string {
    return this.fieldText[f] ?? this.bytes.toString('utf8', this.fieldStart[f], this.fieldEnd[f])
  }

  /**
   * Read the remaining records only to learn whether the file ends inside quotes: the string
   * parser read the whole file before checking any row, so that error wins over a bad row.
   */
  endsInsideQuotes (): boolean {
    try {
      while (this.next());
      return false
    } catch (err) {
      if (err instanceof UnterminatedQuoteError) return true
      throw err
    }
  }

  /** A field that starts with `"`: the string parser's state machine, byte by byte. Returns where the field ends. */
  private quotedField (f: number, p: number): number {
    const b = this.bytes
    const length = b.length
    let text = ''
    let quoted = false
    let run = p // start of the bytes not yet added to text
    while (p < length) {
      const c = b[p]
      if (quoted) {
        if (c === QUOTE) {
          text += b.toString('utf8', run, p)
          if (p + 1 < length && b[p + 1] === QUOTE) {
            text += '"'
            p += 2
          } else {
            quoted = false
            p++
          }
          run = p
        } else {
          p++
        }
      } else if (c === QUOTE && run === p && text === '') {
        quoted = true
        run = ++p
      } else if (c === COMMA || c === LF || c === CR) {
        break
      } else {
        p++
      }
    }
    if (quoted) throw new UnterminatedQuoteError()
    this.fieldText[f] = text + b.toString('utf8', run, p)
    return p
  }

  private grow (): void {
    const size = this.fieldStart.length * 2
    const start = new Int32Array(size)
    start.set(this.fieldStart)
    const end = new Int32Array(size)
    end.set(this.fieldEnd)
    this.fieldStart = start
    this.fieldEnd = end
    this.fieldText.length = size
  }
}
