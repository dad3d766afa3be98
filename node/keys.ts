import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { generateKeyPair, privateKeyFromProtobuf, privateKeyToProtobuf } from '@libp2p/crypto/keys'
import type { PrivateKey } from '@libp2p/interface'

/** The identity key file is missing, unreadable or not an Ed25519 key. Never replaced silently. */
export class KeyFileError extends Error {
  override name = 'KeyFileError'
}

export const KEY_FILE = 'identity.key'

/** Load the node's Ed25519 identity from DIR/identity.key (protobuf bytes). */
export function loadKey (dataDir: string): PrivateKey {
  const file = join(dataDir, KEY_FILE)
  let bytes: Uint8Array
  try {
    bytes = readFileSync(file)
  } catch (err) {
    throw new KeyFileError(`cannot read the identity key ${file}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file (run swarmrank init first)' : (err as Error).message}`)
  }
  let key: PrivateKey
  try {
    key = privateKeyFromProtobuf(bytes)
  } catch {
    throw new KeyFileError(`the identity key ${file} is corrupt; restore it from a backup, or move it away and run swarmrank init to make a new identity (it starts again on probation)`)
  }
  if (key.type !== 'Ed25519') throw new KeyFileError(`the identity key ${file} is a ${key.type} key; swarmrank needs Ed25519`)
  return key
}

/** Load the key, creating it (mode 0600) on first start. */
export async function loadOrCreateKey (dataDir: string): Promise<{ key: PrivateKey, created: boolean }> {
  const file = join(dataDir, KEY_FILE)
  if (existsSync(file)) return { key: loadKey(dataDir), created: false }
  const key = await generateKeyPair('Ed25519')
  writeFileSync(file, privateKeyToProtobuf(key), { mode: 0o600, flag: 'wx' })
  chmodSync(file, 0o600)
  return { key, created: true }
}
