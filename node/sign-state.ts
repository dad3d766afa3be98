import { closeSync, existsSync, fdatasyncSync, fsyncSync, ftruncateSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs'
import { dirname } from 'node:path'
import { crc32 } from 'node:zlib'

/** A record is [length u32 BE][crc32 of the body u32 BE][body: JSON]. */
const HEADER_BYTES = 8
/** The log is rewritten to its last record once it grows past this. */
const COMPACT_AT_BYTES = 1 << 20

/**
 * A validator's last-sign state (its votes at the height it is deciding, and the lock they rest
 * on), written and flushed to disk before each vote is signed — CometBFT keeps the same thing in
 * priv_validator_state.json.
 *
 * Why a file of its own rather than a synced LevelDB write: the write must finish before the vote
 * goes out, and an asynchronous write resumes only when the event loop gets back to it. With a
 * busy loop (16 nodes in one process, or one node under load) that took 10–30 ms per vote, while
 * the synchronous append and fdatasync here take ~0.3 ms (docs/performance.md).
 *
 * It is an append-only log of JSON records, each with its length and a CRC-32: after a crash in
 * the middle of an append, the torn record fails its check and the one before it is the state
 * (and the torn tail is cut off before anything is appended). Past COMPACT_AT_BYTES the log is
 * rewritten to its last record (temporary file, fsync, rename, fsync of the folder).
 *
 * The file sits beside the node's LevelDB folder, not in it: wiping the database keeps it, so a
 * wiped validator that resyncs still never signs against a vote it sent before.
 */
export class SignStateFile<T> {
  private readonly file: string
  private fd: number
  private size: number
  private last?: T

  private constructor (file: string, fd: number, size: number, last: T | undefined) {
    this.file = file
    this.fd = fd
    this.size = size
    this.last = last
  }

  /** Open (or create) the log; the state is its last intact record. */
  static open<T>(file: string): SignStateFile<T> {
    const bytes = existsSync(file) ? readFileSync(file) : Buffer.alloc(0)
    const { last, offset } = parseLog<T>(bytes)
    const fd = openSync(file, 'a+', 0o600)
    // A torn tail (a crash during an append) is cut off: the next record must follow an intact one.
    if (offset < bytes.length) {
      ftruncateSync(fd, offset)
      fsyncSync(fd)
    }
    return new SignStateFile<T>(file, fd, offset, last)
  }

  /** The state last saved, if any. */
  get (): T | undefined {
    return this.last
  }

  /** Save the state durably (appended and flushed to disk) before returning. */
  save (value: T): void {
    const record = encodeRecord(value)
    if (this.size + record.length > COMPACT_AT_BYTES) {
      this.compact(record)
    } else {
      writeAll(this.fd, record)
      fdatasyncSync(this.fd)
      this.size += record.length
    }
    this.last = value
  }

  close (): void {
    closeSync(this.fd)
  }

  /** Replace the log by one holding just `record`, atomically. */
  private compact (record: Buffer): void {
    const tmp = `${this.file}.tmp`
    const fd = openSync(tmp, 'w', 0o600)
    try {
      writeAll(fd, record)
      fsyncSync(fd)
    } finally {
      closeSync(fd)
    }
    renameSync(tmp, this.file)
    const dir = openSync(dirname(this.file), 'r')
    try {
      fsyncSync(dir)
    } finally {
      closeSync(dir)
    }
    closeSync(this.fd)
    this.fd = openSync(this.file, 'a+', 0o600)
    this.size = record.length
  }
}

/** The state in a log file, read only (for tools and tests; a node opens its own with open()). */
export function readSignState<T> (file: string): T | undefined {
  return existsSync(file) ? parseLog<T>(readFileSync(file)).last : undefined
}

/** The last intact record, and where the intact records end. */
function parseLog<T> (bytes: Buffer): { last?: T, offset: number } {
  let offset = 0
  let last: T | undefined
  while (offset + HEADER_BYTES <= bytes.length) {
    const length = bytes.readUInt32BE(offset)
    const end = offset + HEADER_BYTES + length
    if (end > bytes.length) break
    const body = bytes.subarray(offset + HEADER_BYTES, end)
    if (crc32(body) !== bytes.readUInt32BE(offset + 4)) break
    try {
      last = JSON.parse(body.toString('utf8')) as T
    } catch {
      break
    }
    offset = end
  }
  return { last, offset }
}

function encodeRecord (value: unknown): Buffer {
  const body = Buffer.from(JSON.stringify(value), 'utf8')
  const record = Buffer.allocUnsafe(HEADER_BYTES + body.length)
  record.writeUInt32BE(body.length, 0)
  record.writeUInt32BE(crc32(body), 4)
  body.copy(record, HEADER_BYTES)
  return record
}

function writeAll (fd: number, bytes: Buffer): void {
  let written = 0
  while (written < bytes.length) written += writeSync(fd, bytes, written, bytes.length - written)
}
